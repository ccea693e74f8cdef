package dev.partisan.bench.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load driver: {@code concurrency} virtual threads each run one operation at a time,
 * back to back, until the duration or the operation budget runs out. Latencies go to an
 * HdrHistogram recorder (microseconds).
 */
final class ClosedLoop {
  /** One measured phase. */
  record Result(long ops, long errors, double seconds, org.HdrHistogram.Histogram latencyMicros) {
    double opsPerSecond() {
      return ops / seconds;
    }

    double percentile(double p) {
      return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(p);
    }
  }

  /** One operation; {@code i} is the lane's running count (to pick keys). */
  interface Op {
    void run(long i) throws Exception;
  }

  private ClosedLoop() {}

  static Result run(int concurrency, Duration duration, long maxOps, Op op) throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong budget = new AtomicLong(maxOps);
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<Thread> lanes = new ArrayList<>();
    for (int lane = 0; lane < concurrency; lane++) {
      long seed = lane * 1_000_003L;
      lanes.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long i = seed;
                    while (System.nanoTime() < deadline && budget.decrementAndGet() >= 0) {
                      long t0 = System.nanoTime();
                      try {
                        op.run(i++);
                        recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        ops.incrementAndGet();
                      } catch (Exception e) {
                        errors.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : lanes) {
      t.join(duration.toMillis() + 60_000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(ops.get(), errors.get(), seconds, recorder.getIntervalHistogram());
  }

  static <T> T unchecked(Callable<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
