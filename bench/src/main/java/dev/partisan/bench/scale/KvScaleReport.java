package dev.partisan.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The CSV and the summary's tables of {@code bench kv-scale}. */
final class KvScaleReport {
  static final String CSV_HEADER =
      "overlay,nodes,servers,joined,converge_s,ring_s,phase,gets,get_errors,get_p50_us,get_p99_us,"
          + "puts,put_errors,put_p50_us,put_p99_us,served,killed,failure";

  private final List<KvScaleRun.Result> results;

  KvScaleReport(List<KvScaleRun.Result> results) {
    this.results = List.copyOf(results);
  }

  void writeCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (KvScaleRun.Result r : results) {
      lines.add(row(r, "steady", r.steady()));
      if (r.afterKill() != null) {
        lines.add(row(r, "after-kill", r.afterKill()));
      }
    }
    Files.write(file, lines);
  }

  private static String row(KvScaleRun.Result r, String phase, KvScaleRun.Phase p) {
    String figures =
        p == null
            ? ",,,,,,,,,"
            : String.format(
                Locale.ROOT,
                "%d,%d,%d,%d,%d,%d,%d,%d,%.4f",
                p.gets(),
                p.getErrors(),
                p50(p.getMicros()),
                p99(p.getMicros()),
                p.puts(),
                p.putErrors(),
                p50(p.putMicros()),
                p99(p.putMicros()),
                p.served());
    return String.format(
        Locale.ROOT,
        "%s,%d,%d,%d,%.1f,%.1f,%s,%s,%s,%s",
        r.overlay(),
        r.n(),
        r.servers(),
        r.joined(),
        r.convergeSeconds(),
        r.ringSeconds(),
        phase,
        figures,
        r.killed() == null ? "" : r.killed(),
        r.failure() == null ? "" : r.failure().replace(',', ';'));
  }

  /** The tables: one row per overlay; get p99 against the full mesh's where it ran. */
  String tables() {
    KvScaleRun.Result mesh =
        results.stream()
            .filter(r -> r.overlay().equals("full-mesh") && r.steady() != null)
            .findFirst()
            .orElse(null);
    StringBuilder s = new StringBuilder();
    s.append(
        "| overlay | nodes | converge s | ring s | get p50 us | get p99 us | put p99 us | errors |"
            + " get p99 / full mesh | after a kill: get p99 us | served | status |\n");
    s.append(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (KvScaleRun.Result r : results) {
      KvScaleRun.Phase p = r.steady();
      KvScaleRun.Phase k = r.afterKill();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
              r.overlay(),
              r.n(),
              seconds(r.convergeSeconds()),
              seconds(r.ringSeconds()),
              p == null ? "-" : Long.toString(p50(p.getMicros())),
              p == null ? "-" : Long.toString(p99(p.getMicros())),
              p == null ? "-" : Long.toString(p99(p.putMicros())),
              p == null ? "-" : Long.toString(p.getErrors() + p.putErrors()),
              p == null || mesh == null
                  ? "-"
                  : String.format(
                      Locale.ROOT,
                      "%.2fx",
                      (double) p99(p.getMicros()) / Math.max(1, p99(mesh.steady().getMicros()))),
              k == null ? "-" : Long.toString(p99(k.getMicros())),
              k == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * k.served()),
              status(r)));
    }
    return s.toString();
  }

  /** Share of the steady phase's requests that must be answered for a row to say "ok". */
  static final double SERVED_OK = 0.99;

  /**
   * FAIL when the run stopped short; DEGRADED when it ran but the steady phase answered fewer than
   * {@link #SERVED_OK} of its requests (a row of timeouts is not "ok" because it finished).
   */
  static String status(KvScaleRun.Result r) {
    if (r.failure() != null) {
      return "FAIL: " + r.failure();
    }
    KvScaleRun.Phase p = r.steady();
    if (p != null && p.served() < SERVED_OK) {
      return String.format(
          Locale.ROOT, "DEGRADED: %.2f %% served in steady state", 100 * p.served());
    }
    return "ok";
  }

  private static String seconds(double s) {
    return s < 0 ? "-" : String.format(Locale.ROOT, "%.1f", s);
  }

  private static long p50(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50);
  }

  private static long p99(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99);
  }
}
