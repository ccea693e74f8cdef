package dev.partisan.kv.aae;

import dev.partisan.kv.BKey;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The keys exchanges found different, repaired at most {@code repairsPerSecond} a second (a token
 * bucket) and a few at a time, so repairs never starve requests.
 *
 * <p>State: owned by the anti-entropy manager actor; the rate and {@link #queued()} may be read and
 * the rate set from any thread.
 */
final class RepairQueue {
  private static final int MAX_REPAIR_QUEUE = 100_000;

  private record Repair(BKey key, int n, int partition) {}

  private final KeyRepair repair;
  private final AaeStats stats;
  private final Deque<Repair> repairs = new ArrayDeque<>();
  private int inFlight;
  private double tokens;
  private long lastRefillNanos = System.nanoTime();
  private volatile int repairsPerSecond;
  private volatile int queued;

  RepairQueue(KeyRepair repair, AaeStats stats, int repairsPerSecond) {
    this.repair = repair;
    this.stats = stats;
    this.repairsPerSecond = repairsPerSecond;
  }

  void setRate(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("AAE repairs per second must be >= 1: " + perSecond);
    }
    repairsPerSecond = perSecond;
  }

  int queued() {
    return queued;
  }

  /** Queues repairs of {@code keys} of an {@code n}-replica tree of {@code partition}. */
  void add(List<BKey> keys, int n, int partition) {
    for (BKey key : keys) {
      if (repairs.size() >= MAX_REPAIR_QUEUE) {
        break; // the next exchange finds the rest
      }
      repairs.add(new Repair(key, n, partition));
    }
    queued = repairs.size();
  }

  /** A repair started by {@link #pump} is done. */
  void done() {
    inFlight--;
  }

  /**
   * Starts the repairs the rate allows now; {@code onDone} is called (on any thread) with the
   * partition of each one that completes, and must lead to {@link #done()} on the owner's thread.
   */
  void pump(IntConsumer onDone) {
    long now = System.nanoTime();
    int rate = repairsPerSecond;
    tokens = Math.min(rate, tokens + (now - lastRefillNanos) / 1e9 * rate);
    lastRefillNanos = now;
    int maxInFlight = Math.max(4, rate / 5);
    while (tokens >= 1 && !repairs.isEmpty() && inFlight < maxInFlight) {
      Repair r = repairs.poll();
      tokens -= 1;
      inFlight++;
      stats.keyRepaired(r.partition());
      repair.repair(r.key(), r.n()).whenComplete((g, e) -> onDone.accept(r.partition()));
    }
    queued = repairs.size();
  }
}
