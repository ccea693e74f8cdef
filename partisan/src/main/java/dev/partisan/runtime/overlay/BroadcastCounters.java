package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.HyParViewMessages.Graft;
import dev.partisan.runtime.overlay.HyParViewMessages.IHave;
import dev.partisan.runtime.overlay.HyParViewMessages.Prune;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the messages an overlay sends to spread news and broadcasts, by kind, since start: what a
 * broadcast costs. Written by the membership actor, read by any thread ({@link #snapshot}).
 */
final class BroadcastCounters {
  private final LongAdder eager = new LongAdder();
  private final LongAdder lazy = new LongAdder();
  private final LongAdder graft = new LongAdder();
  private final LongAdder prune = new LongAdder();

  /** Counts one message about to be sent, by its kind (anything else is not counted). */
  void sent(Object message) {
    switch (message) {
      case Gossip g -> eager.increment();
      case IHave i -> lazy.increment();
      case Graft g -> graft.increment();
      case Prune p -> prune.increment();
      default -> {}
    }
  }

  /** A payload (delta or broadcast) flooded to one peer by an overlay without a tree. */
  void eagerSent() {
    eager.increment();
  }

  BroadcastStats snapshot() {
    return new BroadcastStats(eager.sum(), lazy.sum(), graft.sum(), prune.sum());
  }
}
