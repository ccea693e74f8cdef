package dev.partisan.bench.handoff;

import dev.partisan.bench.process.HostChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A node of the run in its own JVM: a {@code bench handoff-node} child, asked over bench's host
 * protocol ({@link HostChannel}; the operations are {@link NodeControl}'s). Closing it stops the
 * child (SIGTERM: the child closes its node, so its store is closed cleanly).
 *
 * <p>Threading: called from the command's thread.
 */
final class ProcessRunNode implements RunNode {
  /** Longer than the child's own bounds (forming a cluster: 20 s). */
  private static final Duration REPLY_WAIT = Duration.ofSeconds(60);

  private final String name;
  private final HostChannel child;

  private ProcessRunNode(String name, HostChannel child) {
    this.name = name;
    this.child = child;
  }

  /**
   * Starts {@code bench handoff-node args...} and waits, at most {@code startWait}, until it is
   * ready; its other output goes to {@code out}.
   */
  static ProcessRunNode start(
      String name, List<String> args, Duration startWait, Consumer<String> out) {
    return new ProcessRunNode(name, HostChannel.start(name, List.of(), args, startWait, out));
  }

  long pid() {
    return child.pid();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NodeState state(Instant since) {
    return call(
        NodeControl.STATE, new NodeControl.StateArgs(since.toEpochMilli()), NodeState.class);
  }

  @Override
  public boolean settled(int nodes) {
    return call(NodeControl.SETTLED, new NodeControl.SettledArgs(nodes), Boolean.class);
  }

  @Override
  public List<String> formCluster(List<String> members) {
    return List.of(call(NodeControl.FORM, new NodeControl.FormArgs(members), String[].class));
  }

  @Override
  public void setClientProps() {
    call(NodeControl.CLIENT_PROPS, null, Void.class);
  }

  @Override
  public void resumeHandoff(long bytesPerSecond, int concurrency) {
    call(NodeControl.HANDOFF, new NodeControl.HandoffArgs(bytesPerSecond, concurrency), Void.class);
  }

  private <T> T call(String op, Object args, Class<T> type) {
    try {
      return child.call(op, args, type, REPLY_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  @Override
  public void close() {
    child.close();
  }
}
