package dev.partisan.kv.handoff;

/**
 * The node's outbound handoff rate limit, shared by every transfer it sends: each batch reserves
 * its bytes and learns how long to wait before sending, so all transfers together stay at or under
 * the rate however many run at once. Time is reserved in advance (a virtual schedule), so a burst
 * of reservations spaces itself out instead of all firing when tokens come back.
 *
 * <p>Called by the sender actors on their own threads and by the operator's setter: the schedule is
 * guarded by this object's monitor (one short critical section per batch of up to a MiB, far from
 * any hot path).
 */
public final class HandoffThrottle {
  // Idle time does not accumulate into a burst larger than this.
  private static final long MAX_BURST_NANOS = 50_000_000L;

  private long bytesPerSecond; // 0: unlimited
  private long nextFreeNanos;

  public HandoffThrottle(long bytesPerSecond) {
    setRate(bytesPerSecond);
  }

  public synchronized void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("handoff rate limit must be >= 0 (0: unlimited)");
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  public synchronized long rate() {
    return bytesPerSecond;
  }

  /** Reserves {@code bytes} of the rate and returns how many nanoseconds to wait before sending. */
  public long reserve(long bytes) {
    return reserve(bytes, System.nanoTime());
  }

  synchronized long reserve(long bytes, long nowNanos) {
    if (bytesPerSecond == 0) {
      return 0;
    }
    long start = Math.max(nextFreeNanos, nowNanos - MAX_BURST_NANOS);
    long duration = (long) (bytes * 1e9 / bytesPerSecond);
    nextFreeNanos = start + duration;
    return Math.max(0, start - nowNanos);
  }
}
