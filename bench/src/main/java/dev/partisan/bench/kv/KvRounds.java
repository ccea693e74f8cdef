package dev.partisan.bench.kv;

import dev.partisan.bench.rounds.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The rounds of one {@code bench kv} load run: the same load repeated on the same target (one
 * configuration, so no ABBA order and no ratio), pooled for the totals and charts, and each
 * figure's median and min–max over the rounds for the summary. Immutable once built, on the
 * command's thread.
 */
record KvRounds(List<LoadDriver.Result> rounds) {
  KvRounds {
    rounds = List.copyOf(rounds);
  }

  /**
   * Every round as one run: totals summed, seconds added, the time series one after the other (the
   * seconds of round 2 follow round 1's last).
   */
  LoadDriver.Result pooled() {
    List<LoadDriver.Sample> series = new ArrayList<>();
    Histogram[] totals = {new Histogram(3), new Histogram(3)};
    long[] ops = new long[2];
    long[] errors = new long[2];
    long notFound = 0;
    double seconds = 0;
    int offset = 0;
    for (LoadDriver.Result r : rounds) {
      int last = 0;
      for (LoadDriver.Sample s : r.series()) {
        series.add(
            new LoadDriver.Sample(offset + s.second(), s.op(), s.ops(), s.errors(), s.micros()));
        last = Math.max(last, s.second());
      }
      offset += last;
      for (int op = 0; op < 2; op++) {
        totals[op].add(r.totals()[op]);
        ops[op] += r.ops()[op];
        errors[op] += r.errors()[op];
      }
      notFound += r.notFound();
      seconds += r.seconds();
    }
    return new LoadDriver.Result(series, totals, ops, errors, notFound, seconds);
  }

  /** The "Rounds" section: per operation, ops/s and latency percentiles as median (min–max). */
  void appendTable(StringBuilder b) {
    b.append(
        String.format(
            Locale.ROOT,
            "%n## Rounds%n%n%d round(s) of the same load on the same target, one after the other;"
                + " each figure is the median of the rounds, in brackets the smallest and largest"
                + " round.%n%n",
            rounds.size()));
    b.append("| op | errors | ops/s | p50 us | p95 us | p99 us | p99.9 us |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < 2; i++) {
      int op = i;
      long errors = rounds.stream().mapToLong(r -> r.errors()[op]).sum();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s | %s |%n",
              LoadDriver.OPS[op],
              errors,
              spread(r -> r.ops()[op] / r.seconds()).format("%.1f"),
              spread(r -> percentile(r.totals()[op], 50)).format("%.0f"),
              spread(r -> percentile(r.totals()[op], 95)).format("%.0f"),
              spread(r -> percentile(r.totals()[op], 99)).format("%.0f"),
              spread(r -> percentile(r.totals()[op], 99.9)).format("%.0f")));
    }
  }

  /** A figure of each round, as median and min–max. */
  Spread spread(ToDoubleFunction<LoadDriver.Result> figure) {
    return Spread.of(rounds.stream().map(figure::applyAsDouble).toList());
  }

  /** A percentile in us; NaN (left out of the spread) for a round without that operation. */
  private static double percentile(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
  }
}
