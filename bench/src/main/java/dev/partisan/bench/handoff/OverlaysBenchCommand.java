package dev.partisan.bench.handoff;

import dev.partisan.bench.report.Charts;
import dev.partisan.bench.report.ResultDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench overlays}: get/put latency per overlay x channel configuration, with nothing else
 * going on and during a large ownership handoff. Each cell is one {@link HandoffBenchCommand} mode
 * run with that overlay (this class lives beside it to reuse its seeding, cluster and fixed-rate
 * client rather than a second copy of them).
 */
@Command(
    name = "overlays",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "KV latency across overlays (full-mesh, client-server, hyparview) x channel configurations",
      "(baseline, channels, channels-parallel-affinity), idle and during a handoff of",
      "--volume-mb to a joining node. 3 nodes, N=3, R=W=quorum, 90% gets.",
      "Writes results.csv, summary.md, PNG charts and config.properties under",
      "bench-results/overlays/<timestamp>/."
    })
public final class OverlaysBenchCommand implements Callable<Integer> {
  @Option(names = "--overlays", split = ",", description = "Overlays (default: all three).")
  List<String> overlays = new ArrayList<>(List.of("full-mesh", "client-server", "hyparview"));

  @Option(
      names = "--configs",
      split = ",",
      description = "baseline, channels, channels-parallel-affinity (default: all).")
  List<String> configs = new ArrayList<>(HandoffBenchCommand.MODES);

  @Option(names = "--volume-mb", description = "Volume handed off, MiB (default: 1024).")
  long volumeMb = 1024;

  @Option(names = "--rate", description = "Client operations per second (default: 300).")
  double rate = 300;

  @Option(names = "--idle-seconds", description = "Measured seconds before handoff (default: 10).")
  double idleSeconds = 10;

  @Option(
      names = "--rtt-ms",
      description = "Emulated round trip per node pair, ms; 0: plain loopback (default: 1).")
  double rttMs = 1;

  @Option(
      names = "--bandwidth-mbit",
      description =
          "Emulated cap per direction of each node pair, Mbit/s; 0: none (default: 1000).")
  long bandwidthMbit = 1000;

  @Option(names = "--parallelism", description = "Request lanes with affinity (default: 4).")
  int parallelism = 4;

  @Option(names = "--ring-size", description = "Partitions (default: 64).")
  int ringSize = 64;

  @Option(names = "--warmup-mb", description = "Unreported first handoff, MiB (default: 64).")
  long warmupMb = 64;

  @Option(
      names = "--max-handoff-seconds",
      description = "Give up on a handoff after this (default: 900).")
  double maxHandoffSeconds = 900;

  @Option(names = "--quick", description = "Smoke run: 4 MiB, ring 16, short phases.")
  boolean quick;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "RocksDB dir (default: temp).")
  Path dataDir;

  /** One overlay x configuration cell. */
  record Cell(String overlay, String config, HandoffBenchCommand.ModeResult result) {}

  static final String CSV_HEADER =
      "overlay,config,background,op,ops,errors,ops_per_s,p50_us,p99_us,p999_us,max_us,"
          + "handoff_mib,handoff_s,handoff_complete";

  @Override
  public Integer call() throws Exception {
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    if (quick) {
      volumeMb = 4;
      ringSize = 16;
      idleSeconds = 1;
      rate = 100;
      warmupMb = 0;
      maxHandoffSeconds = 60;
    }
    for (String c : configs) {
      if (!HandoffBenchCommand.MODES.contains(c)) {
        throw new IllegalArgumentException("unknown configuration " + c);
      }
    }
    Path dir = ResultDir.create("overlays", out);
    boolean temp = dataDir == null;
    Path root = temp ? Files.createTempDirectory("overlays-bench") : dataDir;
    List<Cell> cells = new ArrayList<>();
    try {
      if (warmupMb > 0) {
        System.out.printf(Locale.ROOT, "warm-up handoff (%d MiB, not reported)%n", warmupMb);
        HandoffBenchCommand w = cellCommand(overlays.get(0));
        w.volumeMb = warmupMb;
        w.idleSeconds = 2;
        w.runMode(configs.get(0), root.resolve("warmup"));
        HandoffBenchCommand.deleteTree(root.resolve("warmup"));
      }
      for (String overlay : overlays) {
        for (String config : configs) {
          System.out.printf(Locale.ROOT, "%n=== %s / %s ===%n", overlay, config);
          Path cellDir = root.resolve(overlay + "-" + config);
          cells.add(new Cell(overlay, config, cellCommand(overlay).runMode(config, cellDir)));
          HandoffBenchCommand.deleteTree(cellDir);
        }
      }
    } finally {
      if (temp) {
        HandoffBenchCommand.deleteTree(root);
      }
    }
    Files.write(dir.resolve("results.csv"), csv(cells));
    charts(dir, cells);
    String summary = summary(cells);
    Files.writeString(dir.resolve("summary.md"), summary);
    ResultDir.writeConfig(dir, "bench overlays", settings());
    System.out.println();
    System.out.print(summary);
    System.out.println("written to " + dir.toAbsolutePath());
    return 0;
  }

  private HandoffBenchCommand cellCommand(String overlay) {
    HandoffBenchCommand h = new HandoffBenchCommand();
    h.overlay = overlay;
    h.volumeMb = volumeMb;
    h.rate = rate;
    h.idleSeconds = idleSeconds;
    h.parallelism = parallelism;
    h.rttMs = rttMs;
    h.bandwidthMbit = bandwidthMbit;
    h.ringSize = ringSize;
    h.maxHandoffSeconds = maxHandoffSeconds;
    if (quick) {
      h.valueKb = 16;
      h.clientKeys = 100;
    }
    return h;
  }

  private static FixedRateLoad.Stats stats(Cell c, String background, int op) {
    return (background.equals("none") ? c.result().idle() : c.result().handoff())[op];
  }

  private static List<String> csv(List<Cell> cells) {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (Cell c : cells) {
      HandoffBenchCommand.ModeResult r = c.result();
      for (String bg : List.of("none", "handoff")) {
        double seconds = bg.equals("none") ? r.idleSeconds() : r.handoffSeconds();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats(c, bg, op);
          boolean h = bg.equals("handoff");
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s,%s,%s,%s,%d,%d,%.1f,%.0f,%.0f,%.0f,%d,%s,%s,%s",
                  c.overlay(),
                  c.config(),
                  bg,
                  op == 0 ? "get" : "put",
                  s.count(),
                  s.errors(),
                  s.count() / Math.max(1e-9, seconds),
                  s.percentile(50),
                  s.percentile(99),
                  s.percentile(99.9),
                  s.micros().getTotalCount() == 0 ? 0 : s.micros().getMaxValue(),
                  h ? String.format(Locale.ROOT, "%.1f", r.handoffBytes() / 1048576.0) : "",
                  h ? String.format(Locale.ROOT, "%.1f", r.handoffSeconds()) : "",
                  h ? Boolean.toString(r.completed()) : ""));
        }
      }
    }
    return lines;
  }

  private String summary(List<Cell> cells) {
    StringBuilder b = new StringBuilder("# bench overlays\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "3 nodes in one JVM over loopback TCP behind an emulated link per node pair (RTT %s ms,"
                + " cap %s Mbit/s per direction, shared by all the pair's connections), real RocksDB;"
                + " node1 and node2 seeded with %d MiB (N=3); node3 joins; a client on node3 runs %.0f ops/s (90%% gets, R=W=quorum,"
                + " open loop) for %.0f s with no background, then while handoff moves node3's"
                + " share to it. Ring %d; %d lanes in channels-parallel-affinity. %d cores; load"
                + " average at the end %s; %s.%n%n",
            rttMs,
            bandwidthMbit == 0 ? "no" : Long.toString(bandwidthMbit),
            volumeMb,
            rate,
            idleSeconds,
            ringSize,
            parallelism,
            Runtime.getRuntime().availableProcessors(),
            ResultDir.loadAverage(),
            java.time.LocalDateTime.now().withNano(0)));
    b.append(
        "| overlay | config | background | get p50 us | get p99 us | put p50 us | put p99 us |"
            + " gets | errors | handoff |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Cell c : cells) {
      for (String bg : List.of("none", "handoff")) {
        FixedRateLoad.Stats g = stats(c, bg, 0);
        FixedRateLoad.Stats p = stats(c, bg, 1);
        HandoffBenchCommand.ModeResult r = c.result();
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %s |%n",
                c.overlay(),
                c.config(),
                bg,
                g.percentile(50),
                g.percentile(99),
                p.percentile(50),
                p.percentile(99),
                g.count(),
                g.errors() + p.errors(),
                bg.equals("none")
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "%.0f MiB in %.1f s%s",
                        r.handoffBytes() / 1048576.0,
                        r.handoffSeconds(),
                        r.completed() ? "" : " INCOMPLETE")));
      }
    }
    b.append(
        "\nGet p99 during the handoff, baseline / configuration (higher: better than baseline):\n\n");
    for (String overlay : overlays) {
      Cell base = find(cells, overlay, "baseline");
      for (Cell c : cells) {
        if (base != null && c.overlay().equals(overlay) && !c.config().equals("baseline")) {
          double bp = stats(base, "handoff", 0).percentile(99);
          double cp = stats(c, "handoff", 0).percentile(99);
          b.append(
              String.format(
                  Locale.ROOT,
                  "- %s, %s: %.0f us vs baseline %.0f us: %.2fx%n",
                  overlay,
                  c.config(),
                  cp,
                  bp,
                  bp / Math.max(1, cp)));
        }
      }
    }
    return b.toString();
  }

  private static Cell find(List<Cell> cells, String overlay, String config) {
    return cells.stream()
        .filter(c -> c.overlay().equals(overlay) && c.config().equals(config))
        .findFirst()
        .orElse(null);
  }

  /** One chart per percentile: bars per overlay/config, idle and during the handoff. */
  private static void charts(Path dir, List<Cell> cells) throws IOException {
    List<String> cats = cells.stream().map(c -> c.overlay() + " / " + c.config()).toList();
    for (double p : new double[] {99, 50}) {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      for (String bg : List.of("none", "handoff")) {
        series.put(
            "background: " + bg,
            cells.stream().map(c -> stats(c, bg, 0).percentile(p) / 1000).toList());
      }
      Charts.bars(
          dir.resolve(String.format(Locale.ROOT, "get-p%.0f.png", p)),
          String.format(Locale.ROOT, "KV get p%.0f by overlay and configuration", p),
          "overlay / configuration",
          "ms",
          cats,
          series,
          false);
    }
  }

  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("overlays", overlays);
    m.put("configs", configs);
    m.put("volumeMb", volumeMb);
    m.put("rate", rate);
    m.put("getFraction", 0.9);
    m.put("idleSeconds", idleSeconds);
    m.put("parallelism", parallelism);
    m.put("rttMs", rttMs);
    m.put("bandwidthMbit", bandwidthMbit);
    m.put("ringSize", ringSize);
    m.put("warmupMb", warmupMb);
    m.put("maxHandoffSeconds", maxHandoffSeconds);
    m.put("quick", quick);
    m.put("aae", "off (not part of the background yet)");
    return m;
  }
}
