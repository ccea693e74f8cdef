package dev.partisan.bench.handoff;

import dev.partisan.kv.BKey;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.KvClient;
import dev.partisan.kv.RequestOptions;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop client: issues gets and puts at a fixed rate whatever the latency, each operation
 * asynchronously, and records each latency from the moment the operation was due (so a stall is
 * charged to every operation it delayed: no coordinated omission). Latencies in microseconds.
 *
 * <p>One pacing thread; the operations complete on the store's threads and record into HdrHistogram
 * recorders, which are safe for concurrent writers.
 */
public final class FixedRateLoad implements AutoCloseable {
  /** One phase's figures for one operation type. */
  public record Stats(long count, long errors, Histogram micros) {
    public double percentile(double p) {
      return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(p);
    }

    /** The largest latency, us (0 without any). */
    long max() {
      return micros.getTotalCount() == 0 ? 0 : micros.getMaxValue();
    }

    /** The CSV columns ops,errors,p50,p99,p99.9,max of one operation (latencies in us). */
    String csvFigures() {
      return String.format(
          Locale.ROOT,
          "%d,%d,%.0f,%.0f,%.0f,%d",
          count,
          errors,
          percentile(50),
          percentile(99),
          percentile(99.9),
          max());
    }
  }

  private final KvClient client;
  private final int keys;
  private final byte[] value;
  private final double getFraction;
  private final RequestOptions options;
  private final long intervalNanos;
  private final Recorder gets = new Recorder(3);
  private final Recorder puts = new Recorder(3);
  private final AtomicLong getCount = new AtomicLong();
  private final AtomicLong putCount = new AtomicLong();
  private final AtomicLong getErrors = new AtomicLong();
  private final AtomicLong putErrors = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread pacer;

  public FixedRateLoad(
      KvClient client,
      int keys,
      byte[] value,
      double getFraction,
      double opsPerSecond,
      RequestOptions options) {
    this.client = client;
    this.keys = keys;
    this.value = value;
    this.getFraction = getFraction;
    this.options = options;
    this.intervalNanos = (long) (1e9 / opsPerSecond);
    this.pacer = Thread.ofPlatform().daemon().name("bench-handoff-pacer").unstarted(this::run);
    pacer.start();
  }

  public static BKey key(int i) {
    return BKey.of("client", "c-" + i);
  }

  private void run() {
    Random random = new Random(17);
    long start = System.nanoTime();
    for (long i = 0; !stop.get(); i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // pacing a load generator, not synchronisation
      }
      if (inFlight.get() > 10_000) {
        continue; // the store has stalled completely: do not pile up unbounded work
      }
      BKey key = key(random.nextInt(keys));
      boolean get = random.nextDouble() < getFraction;
      inFlight.incrementAndGet();
      CompletableFuture<?> f =
          get
              ? client.get(key, options)
              : client.put(key, Content.of(value), CausalContext.EMPTY, options);
      f.whenComplete(
          (r, e) -> {
            inFlight.decrementAndGet();
            long micros = Math.max(1, (System.nanoTime() - due) / 1000);
            if (e != null) {
              (get ? getErrors : putErrors).incrementAndGet();
            } else {
              (get ? gets : puts).recordValue(micros);
              (get ? getCount : putCount).incrementAndGet();
            }
          });
    }
  }

  /** The figures since the last call (the recorders' interval histograms), then reset. */
  public Stats[] interval() {
    Stats g = new Stats(getCount.getAndSet(0), getErrors.getAndSet(0), gets.getIntervalHistogram());
    Stats p = new Stats(putCount.getAndSet(0), putErrors.getAndSet(0), puts.getIntervalHistogram());
    return new Stats[] {g, p};
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    pacer.join(TimeUnit.SECONDS.toMillis(10));
  }
}
