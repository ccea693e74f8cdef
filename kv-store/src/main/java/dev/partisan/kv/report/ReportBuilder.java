package dev.partisan.kv.report;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.report.NodeReport.AaeTotals;
import dev.partisan.kv.report.NodeReport.ActiveTransfer;
import dev.partisan.kv.report.NodeReport.HandoffSummary;
import dev.partisan.kv.report.NodeReport.LaneReport;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.channel.LaneMetrics;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Builds this node's {@link NodeReport} from the runtime and the node's operator views. The
 * embedding's hooks (latency, client URLs) are volatile so the HTTP server can set them after the
 * node started; every other source is a thread-safe view, so any thread may build a report.
 */
final class ReportBuilder {
  private final PartisanRuntime runtime;
  private final Supplier<HandoffStatus> handoff;
  private final LongSupplier handoffRateLimit;
  private final Supplier<AaeStatus> aae;
  // Set by the embedding at any time, read by whichever thread builds a report.
  private volatile Supplier<List<LatencySummary>> latency = List::of;
  private volatile Supplier<List<String>> clientUrls = List::of;

  ReportBuilder(
      PartisanRuntime runtime,
      Supplier<HandoffStatus> handoff,
      LongSupplier handoffRateLimit,
      Supplier<AaeStatus> aae) {
    this.runtime = runtime;
    this.handoff = handoff;
    this.handoffRateLimit = handoffRateLimit;
    this.aae = aae;
  }

  void latencySource(Supplier<List<LatencySummary>> source) {
    latency = source;
  }

  void clientUrls(Supplier<List<String>> source) {
    clientUrls = source;
  }

  NodeReport build() {
    return new NodeReport(
        runtime.self().name(),
        System.currentTimeMillis(),
        runtime.config().overlay().kind(),
        runtime.overlay().neighbours().stream().sorted().toList(),
        runtime.metrics().stream().map(ReportBuilder::lane).toList(),
        handoff(handoff.get(), handoffRateLimit.getAsLong()),
        aae(aae.get()),
        latency.get(),
        clientUrls.get());
  }

  private static LaneReport lane(LaneMetrics.Snapshot s) {
    return new LaneReport(
        s.peer(),
        s.channel(),
        s.lane(),
        lower(s.trafficClass().name()),
        s.messagesSent(),
        s.bytesSent(),
        s.messagesReceived(),
        s.bytesReceived(),
        s.queuedMessages(),
        s.queuedBytes(),
        s.sendWaitNanos(),
        s.sendWaitMaxNanos());
  }

  private static HandoffSummary handoff(HandoffStatus s, long rateLimit) {
    return new HandoffSummary(
        s.concurrency(),
        rateLimit,
        s.waiting().size(),
        s.completed(),
        s.failed(),
        s.objectsSent(),
        s.bytesSent(),
        s.active().stream().map(ReportBuilder::transfer).toList());
  }

  private static ActiveTransfer transfer(TransferInfo t) {
    return new ActiveTransfer(
        t.partition(),
        t.from(),
        t.to(),
        lower(t.type().name()),
        lower(t.direction().name()),
        t.phase(),
        t.objects(),
        t.bytes(),
        t.bytesPerSecond());
  }

  private static AaeTotals aae(AaeStatus s) {
    return new AaeTotals(s.enabled(), s.exchanges(), s.keysRepaired(), s.repairQueue());
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
