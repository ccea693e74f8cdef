package dev.partisan.bench.echo;

import dev.partisan.bench.report.Charts;
import dev.partisan.bench.rounds.PairedRatio;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The echo experiment's CSV, markdown summary and charts, with ratios to baseline. */
final class EchoReport {
  static final String CSV_HEADER =
      "section,rtt_ms,bandwidth_mbit,config,actors,payload_bytes,seconds,requests,req_per_s,"
          + "mib_per_s,p50_us,p99_us,p999_us,max_us,queue_full,timeouts,failures,"
          + "p50_x_baseline,p99_x_baseline,throughput_x_baseline,round";

  private final List<EchoRow> rows;
  private final List<EchoCell> cells;

  EchoReport(List<EchoRow> rows) {
    this.rows = rows;
    this.cells = EchoCell.group(rows);
  }

  /**
   * The baseline of the same cell in the same round, if measured: the one with the same dispatch,
   * senders and transport ({@link EchoConfig#baselineFor}), so that {@code
   * parallel-affinity+event-loop} is compared with {@code baseline+event-loop}.
   */
  Optional<EchoRow> baselineOf(EchoRow r) {
    String baseline = EchoConfig.baselineFor(r.config());
    return rows.stream()
        .filter(b -> b.config().equals(baseline) && b.sameCell(r) && b.round() == r.round())
        .findFirst();
  }

  /** Ratio {@code i} of {@link #ratios} for each round of a cell, paired with its baseline. */
  private PairedRatio pairedRatio(EchoCell cell, int i) {
    return PairedRatio.ofRatios(cell.rounds().stream().map(r -> ratios(r)[i]).toList());
  }

  /** How many times lower than baseline (latency) or higher (throughput); NaN without baseline. */
  double[] ratios(EchoRow r) {
    Optional<EchoRow> b = baselineOf(r);
    if (b.isEmpty() || r.stats().requests() == 0 || b.get().stats().requests() == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    CellStats base = b.get().stats();
    CellStats s = r.stats();
    return new double[] {
      base.micros(50) / s.micros(50),
      base.micros(99) / s.micros(99),
      s.requestsPerSecond() / base.requestsPerSecond()
    };
  }

  List<String> csv() {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (EchoRow r : rows) {
      CellStats s = r.stats();
      double[] x = ratios(r);
      lines.add(
          String.format(
              Locale.ROOT,
              "%s,%s,%d,%s,%d,%d,%.2f,%d,%.2f,%.2f,%.0f,%.0f,%.0f,%.0f,%d,%d,%d,%s,%s,%s,%d",
              r.section(),
              fmt(r.rttMs()),
              r.bandwidthMbit(),
              r.config(),
              r.actors(),
              r.payload(),
              s.seconds(),
              s.requests(),
              s.requestsPerSecond(),
              r.mibPerSecond(),
              s.micros(50),
              s.micros(99),
              s.micros(99.9),
              s.maxMicros(),
              s.queueFull(),
              s.timeouts(),
              s.failures(),
              ratio(x[0]),
              ratio(x[1]),
              ratio(x[2]),
              r.round()));
    }
    return lines;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String ratio(double x) {
    return Double.isNaN(x) || Double.isInfinite(x) ? "" : String.format(Locale.ROOT, "%.2f", x);
  }

  String summary(String description) {
    StringBuilder b = new StringBuilder("# bench echo\n\n").append(description).append("\n");
    b.append(
        "\nLatencies in microseconds. Each figure is the median over the rounds with the smallest"
            + " and largest round in brackets (one figure: one round, or all rounds alike). `x base`"
            + " = how many times better than baseline in the same cell (latency: baseline / this;"
            + " throughput: this / baseline), computed per round against the baseline of the same"
            + " round with the same dispatch, senders and transport (e.g. `baseline+event-loop`"
            + " for `parallel-affinity+event-loop`), then the median and range of those ratios;"
            + " `noise` marks a ratio whose"
            + " rounds fall on both sides of 1.0.\n");
    for (String section : List.of("link-check", "echo", "loopback")) {
      List<EchoCell> in = cells.stream().filter(c -> c.first().section().equals(section)).toList();
      if (in.isEmpty()) {
        continue;
      }
      b.append("\n## ").append(section).append("\n\n");
      b.append(
          switch (section) {
            case "link-check" ->
                "The emulator itself: a 1 KB round trip over a 20 ms RTT link (expect about 20 ms)"
                    + " and 1 MB requests from 16 senders over a 1 Gbit/s cap on one connection"
                    + " and on 16 (expect about 1 Gbit/s of payload either way).\n\n";
            case "loopback" ->
                "8 MB requests over plain loopback (no emulator), and raw TCP sockets with the same"
                    + " closed loop (one socket per sender, no runtime): `x raw` is the share of"
                    + " raw TCP throughput.\n\n";
            default ->
                cells.stream().anyMatch(c -> c.first().config().equals(EchoConfig.RAW_TCP))
                    ? "`x raw`: throughput as a share of raw TCP's in the same cell and round (one"
                        + " plain socket per sender, no runtime).\n\n"
                    : "";
          });
      table(b, section, in);
    }
    paperCell(b);
    return b.toString();
  }

  /** One section's table: a row per cell, medians over the rounds, ratios to baseline. */
  private void table(StringBuilder b, String section, List<EchoCell> in) {
    b.append(
        "| RTT ms | cap Mbit/s | config | senders | payload | rounds | req/s | MiB/s | Gbit/s |"
            + " p50 | p99 | p50 x base | p99 x base | tput x base | refused/timeouts/failures |\n");
    b.append(
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + " ---: | ---: | --- |\n");
    for (EchoCell c : in) {
      EchoRow r = c.first();
      String tput = pairedRatio(c, 2).format();
      Optional<EchoCell> raw =
          in.stream()
              .filter(o -> o != c && o.first().config().equals(EchoConfig.RAW_TCP))
              .filter(o -> o.first().sameCell(r) && o.first().bandwidthMbit() == r.bandwidthMbit())
              .findFirst();
      if (raw.isPresent()) {
        PairedRatio xRaw =
            PairedRatio.of(
                raw.get().rounds().stream().map(o -> o.stats().requestsPerSecond()).toList(),
                c.rounds().stream().map(o -> o.stats().requestsPerSecond()).toList());
        tput += " (x raw " + xRaw.format() + ")";
      }
      long[] t = c.troubles();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d/%d |%n",
              fmt(r.rttMs()),
              r.bandwidthMbit() == 0 ? "-" : Long.toString(r.bandwidthMbit()),
              r.config(),
              r.actors(),
              EchoRow.size(r.payload()),
              c.rounds().size(),
              c.spread(o -> o.stats().requestsPerSecond()).format("%.1f"),
              c.spread(EchoRow::mibPerSecond).format("%.1f"),
              c.spread(EchoRow::gbitPerSecond).format("%.3f"),
              c.spread(o -> o.stats().micros(50)).format("%.0f"),
              c.spread(o -> o.stats().micros(99)).format("%.0f"),
              pairedRatio(c, 0).format(),
              pairedRatio(c, 1).format(),
              tput,
              t[0],
              t[1],
              t[2]));
    }
  }

  /** The cell the paper reports (128 senders, 512 KB, 20 ms), each configuration vs baseline. */
  private void paperCell(StringBuilder b) {
    cells.stream()
        .filter(
            c -> {
              EchoRow r = c.first();
              return r.section().equals("echo")
                  && r.rttMs() == 20
                  && r.actors() == 128
                  && r.payload() == 512 * 1024
                  && !r.config().equals(EchoConfig.baselineFor(r.config()));
            })
        .forEach(
            c -> {
              if (b.indexOf("## The paper's cell") < 0) {
                b.append("\n## The paper's cell (128 senders, 512 KB, 20 ms RTT)\n\n");
                b.append("The paper: 13.5x lower latency, 38.07x more throughput.\n\n");
              }
              b.append(
                  String.format(
                      Locale.ROOT,
                      "- %s: p50 %s, p99 %s lower than baseline; throughput %s%n",
                      c.first().config(),
                      pairedRatio(c, 0).format(),
                      pairedRatio(c, 1).format(),
                      pairedRatio(c, 2).format()));
            });
  }

  /**
   * Per (RTT, payload) of the main section: p99 and throughput by sender count and config, the
   * median over the rounds.
   */
  void charts(Path dir) throws IOException {
    List<EchoRow> echo = rows.stream().filter(r -> r.section().equals("echo")).toList();
    List<String> configs = echo.stream().map(EchoRow::config).distinct().toList();
    List<Integer> actorCounts = echo.stream().map(EchoRow::actors).distinct().sorted().toList();
    List<String> cats = actorCounts.stream().map(a -> a + " senders").toList();
    for (double rtt : echo.stream().map(EchoRow::rttMs).distinct().toList()) {
      for (int payload : echo.stream().map(EchoRow::payload).distinct().toList()) {
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        Map<String, List<Double>> tput = new LinkedHashMap<>();
        for (String c : configs) {
          List<Double> lat = new ArrayList<>();
          List<Double> thr = new ArrayList<>();
          for (int a : actorCounts) {
            Optional<EchoCell> cell =
                cells.stream()
                    .filter(
                        x ->
                            x.first().section().equals("echo")
                                && x.first().rttMs() == rtt
                                && x.first().payload() == payload
                                && x.first().actors() == a
                                && x.first().config().equals(c))
                    .findFirst();
            lat.add(cell.map(x -> x.spread(o -> o.stats().micros(99)).median() / 1000).orElse(0.0));
            thr.add(cell.map(x -> x.spread(EchoRow::mibPerSecond).median()).orElse(0.0));
          }
          p99.put(c, lat);
          tput.put(c, thr);
        }
        String cell = fmt(rtt) + "ms-" + EchoRow.size(payload).replace(" ", "");
        String title = "RTT " + fmt(rtt) + " ms, " + EchoRow.size(payload);
        Charts.bars(
            dir.resolve("p99-" + cell + ".png"),
            "echo p99 latency (median of rounds), " + title,
            "senders",
            "p99 ms",
            cats,
            p99,
            false);
        Charts.bars(
            dir.resolve("throughput-" + cell + ".png"),
            "echo throughput (median of rounds), " + title,
            "senders",
            "MiB/s of payload",
            cats,
            tput,
            false);
      }
    }
  }
}
