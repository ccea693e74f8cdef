package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Joins this node asked a contact to take it in and has not heard back on. A request can be lost
 * without an error (the connection it went on was reset, or the contact was still starting and had
 * no membership actor yet), and nothing else would ever ask again: so a join that waited {@code
 * firstWait} asks again, each wait twice the one before, until the contact answers or the join's
 * own deadline completes its future.
 *
 * <p>Threading: owned by the membership actor.
 */
final class PendingJoins {
  private static final class Pending {
    final NodeId seed;
    final CompletableFuture<Void> done;
    long nextAskNanos;
    long waitNanos;

    Pending(NodeId seed, CompletableFuture<Void> done, long nextAskNanos, long waitNanos) {
      this.seed = seed;
      this.done = done;
      this.nextAskNanos = nextAskNanos;
      this.waitNanos = waitNanos;
    }
  }

  private final Map<String, Pending> bySeed = new HashMap<>();
  private final long firstWaitNanos;

  PendingJoins(long firstWaitNanos) {
    if (firstWaitNanos <= 0) {
      throw new IllegalArgumentException("the first wait must be positive");
    }
    this.firstWaitNanos = firstWaitNanos;
  }

  /** This node just asked {@code seed}; {@code done} completes when it answers. */
  void asked(NodeId seed, CompletableFuture<Void> done, long nowNanos) {
    bySeed.put(seed.name(), new Pending(seed, done, nowNanos + firstWaitNanos, firstWaitNanos));
  }

  /** The join waiting on an answer from {@code from}, now answered; null if none waited. */
  CompletableFuture<Void> answeredBy(String from) {
    Pending p = bySeed.remove(from);
    return p == null ? null : p.done;
  }

  /**
   * The contacts to ask again now (each one's next wait doubles); joins whose future already ended
   * (their deadline passed) are forgotten.
   */
  List<NodeId> due(long nowNanos) {
    List<NodeId> again = new ArrayList<>();
    for (Iterator<Pending> it = bySeed.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.done.isDone()) {
        it.remove();
      } else if (nowNanos - p.nextAskNanos >= 0) {
        p.waitNanos = Math.multiplyExact(p.waitNanos, 2);
        p.nextAskNanos = nowNanos + p.waitNanos;
        again.add(p.seed);
      }
    }
    return again;
  }
}
