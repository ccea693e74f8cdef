package dev.partisan.bench.adcounter;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * What the clients of one run record, shared by them (every field is thread-safe: atomics and
 * HdrHistogram recorders) and read by the run's sampling thread: latencies in microseconds, the
 * increments acknowledged per ad, when each ad was first disabled, and the stop signal.
 */
final class AdMetrics {
  final Recorder updateMicros = new Recorder(3);
  final Recorder readMicros = new Recorder(3);
  final LongAdder increments = new LongAdder();
  final LongAdder reads = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder errors = new LongAdder();

  /** Increments each ad's store acknowledged, by ad index. */
  final AtomicLongArray acked;

  /** When each ad was disabled, nanoseconds after {@link #startNanos}; -1 while enabled. */
  private final AtomicLongArray disabledAt;

  private final AtomicInteger disabled = new AtomicInteger();
  private final AtomicLong budget;
  private final AtomicBoolean stop = new AtomicBoolean();
  final long startNanos = System.nanoTime();

  AdMetrics(int ads, long maxIncrements) {
    acked = new AtomicLongArray(ads);
    disabledAt = new AtomicLongArray(ads);
    for (int i = 0; i < ads; i++) {
      disabledAt.set(i, -1);
    }
    budget = new AtomicLong(maxIncrements);
  }

  /** Takes one increment from the run's budget; false once it is spent. */
  boolean takeIncrement() {
    return budget.decrementAndGet() >= 0;
  }

  boolean budgetSpent() {
    return budget.get() <= 0;
  }

  /** Records the time since {@code sentNanos} (when the request was sent) in microseconds. */
  void recordLatency(Recorder recorder, long sentNanos) {
    recorder.recordValue(Math.max(1, (System.nanoTime() - sentNanos) / 1000));
  }

  /** Records that this client's remove took {@code ad} out of the enabled set (first one wins). */
  void disabled(int ad) {
    if (disabledAt.compareAndSet(ad, -1, System.nanoTime() - startNanos)) {
      disabled.incrementAndGet();
    }
  }

  int disabledCount() {
    return disabled.get();
  }

  /** Seconds from the start to the ad's disabling, or NaN if it never was. */
  double disabledAtSeconds(int ad) {
    long at = disabledAt.get(ad);
    return at < 0 ? Double.NaN : at / 1e9;
  }

  void stop() {
    stop.set(true);
  }

  boolean stopped() {
    return stop.get();
  }
}
