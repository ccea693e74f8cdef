package dev.partisan.http.console;

import dev.partisan.kv.report.LatencySummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Request latency over a recent window, from the request timers of both client APIs ({@code
 * kv_request_seconds}), one row per API and operation. Those histograms count since the node
 * started (Prometheus wants monotonic buckets), so this keeps a copy of their bucket counts every
 * {@link #STEP} and answers with the difference between now and the oldest copy within {@link
 * #WINDOW}: the requests of the last 60 to 65 seconds (or since the server started, if later),
 * every outcome of an operation together. Percentiles are interpolated linearly within a bucket, as
 * Prometheus's {@code histogram_quantile} does.
 *
 * <p>Thread-safety: called from whichever thread builds a node report (the report actor, a
 * console's sampler); the copies are guarded by {@code this}.
 */
final class LatencyWindow implements Supplier<List<LatencySummary>> {
  static final Duration WINDOW = Duration.ofSeconds(60);
  static final Duration STEP = Duration.ofSeconds(5);

  private final Supplier<List<Timer>> timers;
  private final LongSupplier nanoClock;
  // Guarded by this: oldest first; the first is the window's baseline.
  private final Deque<Counts> copies = new ArrayDeque<>();

  /** Cumulative counts of one moment: per series, bucket bound (ms) to requests at or below. */
  private record Counts(long atNanos, Map<Series, TreeMap<Double, Long>> buckets) {}

  /** One row of the answer: an operation of one API. */
  private record Series(String api, String op) {}

  private static final Comparator<Series> ORDER =
      Comparator.comparing(Series::api).thenComparing(Series::op);

  LatencyWindow(Supplier<List<Timer>> timers, LongSupplier nanoClock) {
    this.timers = timers;
    this.nanoClock = nanoClock;
    copies.add(read());
  }

  @Override
  public synchronized List<LatencySummary> get() {
    Counts now = read();
    long windowStart = now.atNanos() - WINDOW.toNanos();
    while (copies.size() > 1 && secondOldest().atNanos() <= windowStart) {
      copies.removeFirst();
    }
    if (now.atNanos() - copies.getLast().atNanos() >= STEP.toNanos()) {
      copies.addLast(now);
    }
    Counts base = copies.getFirst();
    List<LatencySummary> rows = new ArrayList<>();
    now.buckets()
        .forEach((key, cumulative) -> rows.add(summary(key, cumulative, base.buckets().get(key))));
    return rows;
  }

  private Counts secondOldest() {
    var it = copies.iterator();
    it.next();
    return it.next();
  }

  private Counts read() {
    Map<Series, TreeMap<Double, Long>> bySeries = new TreeMap<>(ORDER);
    for (Timer t : timers.get()) {
      String api = t.getId().getTag("api");
      String op = t.getId().getTag("op");
      if (api == null || op == null) {
        continue;
      }
      TreeMap<Double, Long> merged =
          bySeries.computeIfAbsent(new Series(api, op), k -> new TreeMap<>());
      for (CountAtBucket b : t.takeSnapshot().histogramCounts()) {
        merged.merge(b.bucket(TimeUnit.MILLISECONDS), (long) b.count(), Long::sum);
      }
      // Requests above the largest bound: counted at +infinity so the total is right.
      merged.merge(Double.POSITIVE_INFINITY, t.count(), Long::sum);
    }
    return new Counts(nanoClock.getAsLong(), bySeries);
  }

  private static LatencySummary summary(
      Series key, TreeMap<Double, Long> now, TreeMap<Double, Long> base) {
    TreeMap<Double, Long> delta = new TreeMap<>();
    now.forEach(
        (bound, count) -> {
          long before = base == null ? 0 : base.getOrDefault(bound, 0L);
          delta.put(bound, Math.max(0, count - before));
        });
    long count = delta.getOrDefault(Double.POSITIVE_INFINITY, 0L);
    return new LatencySummary(
        key.api(),
        key.op(),
        count,
        quantile(delta, count, 0.50),
        quantile(delta, count, 0.95),
        quantile(delta, count, 0.99));
  }

  /** The q-quantile in ms, interpolated within its bucket; 0 without requests. */
  static double quantile(TreeMap<Double, Long> cumulative, long count, double q) {
    if (count == 0) {
      return 0;
    }
    double target = q * count;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
      double bound = e.getKey();
      long atOrBelow = e.getValue();
      if (atOrBelow >= target && atOrBelow > below) {
        if (Double.isInfinite(bound)) {
          return lower; // above the largest bound: the largest bound is all that is known
        }
        return lower + (bound - lower) * (target - below) / (atOrBelow - below);
      }
      lower = Double.isInfinite(bound) ? lower : bound;
      below = Math.max(below, atOrBelow);
    }
    return lower;
  }
}
