package dev.partisan.bench.echo;

import dev.partisan.bench.report.Charts;
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
          + "p50_x_baseline,p99_x_baseline,throughput_x_baseline";

  private final List<EchoRow> rows;

  EchoReport(List<EchoRow> rows) {
    this.rows = rows;
  }

  /** The baseline of the same cell, if measured. */
  Optional<EchoRow> baselineOf(EchoRow r) {
    return rows.stream().filter(b -> b.config().equals("baseline") && b.sameCell(r)).findFirst();
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
              "%s,%s,%d,%s,%d,%d,%.2f,%d,%.2f,%.2f,%.0f,%.0f,%.0f,%.0f,%d,%d,%d,%s,%s,%s",
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
              ratio(x[2])));
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
        "\nLatencies in microseconds; `x base` = how many times better than baseline in the same"
            + " cell (latency: baseline / this; throughput: this / baseline).\n");
    for (String section : List.of("link-check", "echo", "loopback")) {
      List<EchoRow> in = rows.stream().filter(r -> r.section().equals(section)).toList();
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
            default -> "";
          });
      table(b, section, in);
    }
    paperCell(b);
    return b.toString();
  }

  /** One section's table: a row per cell, with its ratios to baseline. */
  private void table(StringBuilder b, String section, List<EchoRow> in) {
    b.append(
        "| RTT ms | cap Mbit/s | config | senders | payload | req/s | MiB/s | Gbit/s | p50 | p99"
            + " | p50 x base | p99 x base | tput x base | refused/timeouts/failures |\n");
    b.append(
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + " ---: | --- |\n");
    for (EchoRow r : in) {
      CellStats s = r.stats();
      double[] x = ratios(r);
      String tput = ratio(x[2]);
      if (section.equals("loopback")) {
        Optional<EchoRow> raw =
            in.stream().filter(o -> o.config().equals(EchoConfig.RAW_TCP)).findFirst();
        if (raw.isPresent() && raw.get().stats().requests() > 0) {
          tput +=
              String.format(
                  Locale.ROOT,
                  " (x raw %.2f)",
                  s.requestsPerSecond() / raw.get().stats().requestsPerSecond());
        }
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %.1f | %.1f | %.3f | %.0f | %.0f | %s | %s | %s |"
                  + " %d/%d/%d |%n",
              fmt(r.rttMs()),
              r.bandwidthMbit() == 0 ? "-" : Long.toString(r.bandwidthMbit()),
              r.config(),
              r.actors(),
              EchoRow.size(r.payload()),
              s.requestsPerSecond(),
              r.mibPerSecond(),
              r.gbitPerSecond(),
              s.micros(50),
              s.micros(99),
              ratio(x[0]),
              ratio(x[1]),
              tput,
              s.queueFull(),
              s.timeouts(),
              s.failures()));
    }
  }

  /** The cell the paper reports (128 senders, 512 KB, 20 ms), each configuration vs baseline. */
  private void paperCell(StringBuilder b) {
    rows.stream()
        .filter(
            r ->
                r.section().equals("echo")
                    && r.rttMs() == 20
                    && r.actors() == 128
                    && r.payload() == 512 * 1024
                    && !r.config().equals("baseline"))
        .forEach(
            r -> {
              double[] x = ratios(r);
              if (b.indexOf("## The paper's cell") < 0) {
                b.append("\n## The paper's cell (128 senders, 512 KB, 20 ms RTT)\n\n");
                b.append("The paper: 13.5x lower latency, 38.07x more throughput.\n\n");
              }
              b.append(
                  String.format(
                      Locale.ROOT,
                      "- %s: p50 %sx, p99 %sx lower than baseline; throughput %sx%n",
                      r.config(),
                      ratio(x[0]),
                      ratio(x[1]),
                      ratio(x[2])));
            });
  }

  /** Per (RTT, payload) of the main section: p99 and throughput by sender count and config. */
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
            Optional<EchoRow> r =
                echo.stream()
                    .filter(
                        x ->
                            x.rttMs() == rtt
                                && x.payload() == payload
                                && x.actors() == a
                                && x.config().equals(c))
                    .findFirst();
            lat.add(r.map(x -> x.stats().micros(99) / 1000).orElse(0.0));
            thr.add(r.map(EchoRow::mibPerSecond).orElse(0.0));
          }
          p99.put(c, lat);
          tput.put(c, thr);
        }
        String cell = fmt(rtt) + "ms-" + EchoRow.size(payload).replace(" ", "");
        String title = "RTT " + fmt(rtt) + " ms, " + EchoRow.size(payload);
        Charts.bars(
            dir.resolve("p99-" + cell + ".png"),
            "echo p99 latency, " + title,
            "senders",
            "p99 ms",
            cats,
            p99,
            false);
        Charts.bars(
            dir.resolve("throughput-" + cell + ".png"),
            "echo throughput, " + title,
            "senders",
            "MiB/s of payload",
            cats,
            tput,
            false);
      }
    }
  }
}
