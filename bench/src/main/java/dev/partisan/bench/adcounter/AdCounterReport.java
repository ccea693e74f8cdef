package dev.partisan.bench.adcounter;

import dev.partisan.bench.report.Charts;
import dev.partisan.bench.report.GcPauses;
import dev.partisan.bench.report.ResultDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * What {@code bench adcounter} writes: the per-second series ({@code results.csv}), every ad's
 * outcome ({@code ads.csv}), the summary with one row per overlay (rounds pooled) and one per run,
 * and the charts. Immutable.
 */
record AdCounterReport(AdCounterSettings s, List<String> overlays, List<AdRunResult> runs) {
  static final String SERIES_HEADER =
      "overlay,round,second,increments,increments_per_s,errors,update_p50_us,update_p99_us,read_p50_us,read_p99_us,enabled_ads";
  static final String ADS_HEADER = "overlay,round,ad,acked,final,over_count,disabled_at_s";

  void writeCsv(Path dir) throws IOException {
    List<String> series = new ArrayList<>(List.of(SERIES_HEADER));
    List<String> ads = new ArrayList<>(List.of(ADS_HEADER));
    for (AdRunResult r : runs) {
      for (AdRunResult.Second x : r.series()) {
        series.add(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%d,%.0f,%d,%d,%d,%d,%d,%d",
                r.overlay(),
                r.round(),
                x.second(),
                x.increments(),
                x.incrementsPerSecond(),
                x.errors(),
                pct(x.update(), 50),
                pct(x.update(), 99),
                pct(x.read(), 50),
                pct(x.read(), 99),
                x.enabled()));
      }
      for (AdRunResult.Ad a : r.ads()) {
        ads.add(
            String.format(
                Locale.ROOT,
                "%s,%d,%s,%d,%d,%d,%s",
                r.overlay(),
                r.round(),
                a.name(),
                a.acked(),
                a.finalCount(),
                a.overCount(s.threshold()),
                Double.isNaN(a.disabledAtSeconds())
                    ? ""
                    : String.format(Locale.ROOT, "%.3f", a.disabledAtSeconds())));
      }
    }
    Files.write(dir.resolve("results.csv"), series);
    Files.write(dir.resolve("ads.csv"), ads);
  }

  String summary(String loadAtStart, GcPauses.Interval gc) {
    StringBuilder b = new StringBuilder("# bench adcounter\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Lasp's advertisement counter over the data-type API: %d ads (one counter each, and a"
                + " set of the enabled ones), threshold %d impressions, %d clients spread over %d"
                + " in-process nodes (real TCP, RocksDB, ring %d, N=3, R=W=quorum). Each client"
                + " increments a random enabled ad, reads that ad's counter after every %d"
                + " impressions and disables it once it has reached the threshold, and refreshes"
                + " its list of enabled ads every %d ms. A run ends when every ad is disabled, after"
                + " %.0f s or after %d increments. %d cores; load average %s at the start, %s at"
                + " the end; %s.%n%n",
            s.ads(),
            s.threshold(),
            s.clients(),
            s.nodes(),
            s.ringSize(),
            s.readEvery(),
            s.refreshMillis(),
            s.seconds(),
            s.maxIncrements(),
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            ResultDir.loadAverage(),
            gc.describe()));
    b.append("## Per overlay (rounds pooled)\n\n");
    b.append(
        "| overlay | runs | increments | incr/s | update p50 ms | update p99 ms | update p99.9 ms"
            + " | read p50 ms | read p99 ms | ads disabled | over-count/ad | max over-count |"
            + " errors |\n");
    b.append(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (String overlay : overlays) {
      List<AdRunResult> rs = of(overlay);
      if (rs.isEmpty()) {
        continue;
      }
      Histogram update = pooled(rs, AdRunResult::updateMicros);
      Histogram read = pooled(rs, AdRunResult::readMicros);
      long increments = rs.stream().mapToLong(AdRunResult::increments).sum();
      double seconds = rs.stream().mapToDouble(AdRunResult::seconds).sum();
      long disabled = rs.stream().mapToLong(r -> disabled(r)).sum();
      long adCount = (long) s.ads() * rs.size();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d/%d | %.1f | %d | %d |%n",
              overlay,
              rs.size(),
              increments,
              increments / seconds,
              pct(update, 50) / 1000.0,
              pct(update, 99) / 1000.0,
              pct(update, 99.9) / 1000.0,
              pct(read, 50) / 1000.0,
              pct(read, 99) / 1000.0,
              disabled,
              adCount,
              rs.stream().mapToLong(r -> r.totalOverCount(s.threshold())).sum() / (double) adCount,
              rs.stream().mapToLong(r -> r.maxOverCount(s.threshold())).max().orElse(0),
              rs.stream().mapToLong(AdRunResult::errors).sum()));
    }
    b.append("\n## Each run, in the order they ran\n\n");
    b.append(
        "| overlay | round | links | seconds | increments | incr/s | update p99 ms | all disabled"
            + " after s | over-count | final counts below acked |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (AdRunResult r : runs) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d/%d | %.1f | %d | %.0f | %.2f | %s | %d | %d |%n",
              r.overlay(),
              r.round(),
              r.links(),
              s.nodes() * (s.nodes() - 1) / 2,
              r.seconds(),
              r.increments(),
              r.incrementsPerSecond(),
              pct(r.updateMicros(), 99) / 1000.0,
              r.allDisabled() ? String.format(Locale.ROOT, "%.1f", r.lastDisabledSeconds()) : "-",
              r.totalOverCount(s.threshold()),
              r.ads().stream().filter(a -> a.finalCount() < a.acked()).count()));
    }
    b.append(
        "\nover-count: impressions an ad's counter holds past the threshold (its final count minus"
            + " the threshold), served because clients learn of the disabling late. Per second:"
            + " results.csv; per ad: ads.csv; charts: throughput.png, latency.png,"
            + " overcount.png.\n");
    return b.toString();
  }

  void writeCharts(Path dir) throws IOException {
    Map<String, double[][]> tput = new LinkedHashMap<>();
    for (AdRunResult r : runs) {
      double[] x = r.series().stream().mapToDouble(AdRunResult.Second::second).toArray();
      double[] y =
          r.series().stream().mapToDouble(AdRunResult.Second::incrementsPerSecond).toArray();
      tput.put(r.overlay() + " r" + r.round(), new double[][] {x, y});
    }
    Charts.lines(
        dir.resolve("throughput.png"), "ad counter: increments", "second", "increments/s", tput);
    List<String> present = overlays.stream().filter(o -> !of(o).isEmpty()).toList();
    Map<String, List<Double>> latency = new LinkedHashMap<>();
    latency.put("update p50", figure(present, AdRunResult::updateMicros, 50));
    latency.put("update p99", figure(present, AdRunResult::updateMicros, 99));
    latency.put("read p50", figure(present, AdRunResult::readMicros, 50));
    latency.put("read p99", figure(present, AdRunResult::readMicros, 99));
    Charts.bars(
        dir.resolve("latency.png"),
        "ad counter: latency",
        "overlay",
        "ms",
        present,
        latency,
        false);
    Map<String, List<Double>> over = new LinkedHashMap<>();
    over.put(
        "mean per ad",
        present.stream()
            .map(
                o ->
                    of(o).stream().mapToLong(r -> r.totalOverCount(s.threshold())).sum()
                        / (double) (s.ads() * of(o).size()))
            .toList());
    over.put(
        "max per ad",
        present.stream()
            .map(
                o ->
                    (double)
                        of(o).stream()
                            .mapToLong(r -> r.maxOverCount(s.threshold()))
                            .max()
                            .orElse(0))
            .toList());
    Charts.bars(
        dir.resolve("overcount.png"),
        "ad counter: impressions past the threshold",
        "overlay",
        "impressions",
        present,
        over,
        false);
  }

  private List<AdRunResult> of(String overlay) {
    return runs.stream().filter(r -> r.overlay().equals(overlay)).toList();
  }

  private static long disabled(AdRunResult r) {
    return r.ads().stream().filter(a -> !Double.isNaN(a.disabledAtSeconds())).count();
  }

  private List<Double> figure(List<String> present, Function<AdRunResult, Histogram> h, double p) {
    return present.stream().map(o -> pct(pooled(of(o), h), p) / 1000.0).toList();
  }

  private static Histogram pooled(List<AdRunResult> rs, Function<AdRunResult, Histogram> h) {
    Histogram all = new Histogram(3);
    rs.forEach(r -> all.add(h.apply(r)));
    return all;
  }

  static long pct(Histogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
  }
}
