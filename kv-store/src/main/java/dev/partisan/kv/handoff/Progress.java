package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;
import dev.partisan.kv.TransferInfo;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of one transfer attempt: written by the actor doing it, read by any thread for the
 * operator view (atomics and volatiles, no locks).
 */
final class Progress {
  private final long id;
  private final int partition;
  private final String from;
  private final String to;
  private final HandoffType type;
  private final TransferInfo.Direction direction;
  private final int attempt;
  private final String previousError;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile String phase = "opening";
  private volatile String error;
  private volatile long endNanos;

  Progress(
      long id,
      int partition,
      String from,
      String to,
      HandoffType type,
      TransferInfo.Direction direction,
      int attempt,
      String previousError) {
    this.id = id;
    this.partition = partition;
    this.from = from;
    this.to = to;
    this.type = type;
    this.direction = direction;
    this.attempt = attempt;
    this.previousError = previousError;
  }

  long id() {
    return id;
  }

  int partition() {
    return partition;
  }

  String from() {
    return from;
  }

  String to() {
    return to;
  }

  HandoffType type() {
    return type;
  }

  void phase(String p) {
    phase = p;
  }

  void sent(long n, long b) {
    objects.addAndGet(n);
    bytes.addAndGet(b);
  }

  void error(String e) {
    error = e;
  }

  void end() {
    endNanos = System.nanoTime();
  }

  long idleNanos(long now) {
    return now - lastActivity;
  }

  private volatile long lastActivity = System.nanoTime();

  void touch() {
    lastActivity = System.nanoTime();
  }

  TransferInfo info() {
    long end = endNanos == 0 ? System.nanoTime() : endNanos;
    double seconds = Math.max(1e-3, (end - startNanos) / 1e9);
    long o = objects.get();
    long b = bytes.get();
    return new TransferInfo(
        partition,
        from,
        to,
        type,
        direction,
        phase,
        o,
        b,
        o / seconds,
        b / seconds,
        startedAt,
        attempt,
        error != null ? error : previousError);
  }
}
