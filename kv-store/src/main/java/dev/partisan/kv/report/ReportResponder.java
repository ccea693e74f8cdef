package dev.partisan.kv.report;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import java.util.function.Supplier;

/**
 * The actor on every node that answers {@link ReportRequest}s with the node's report, built when
 * asked. Stateless: the report comes from the thread-safe views it is given.
 */
final class ReportResponder implements Actor {
  /** The actor's name on every node. */
  static final String NAME = "kv-report";

  private final Supplier<NodeReport> report;

  ReportResponder(Supplier<NodeReport> report) {
    this.report = report;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (message instanceof ReportRequest) {
      ctx.reply(report.get());
    }
  }
}
