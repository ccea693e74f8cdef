package dev.partisan.bench.handoff;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench overlays}: get/put latency per overlay x channel configuration, with nothing else
 * going on and during a large ownership handoff. Each cell is one {@link HandoffRun} of the
 * scenario of {@link HandoffBenchCommand} (seeding, cluster and fixed-rate client) with that
 * overlay and configuration.
 */
@Command(
    name = "overlays",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "KV latency across overlays x channel configurations",
      "(baseline, channels, channels-parallel-affinity), idle and during a handoff of",
      "--volume-mb to a joining node. 3 nodes, N=3, R=W=quorum, 90% gets.",
      "Writes results.csv, summary.md, PNG charts and config.properties under",
      "bench-results/overlays/<timestamp>/."
    })
public final class OverlaysBenchCommand implements Callable<Integer> {
  @Option(
      names = "--overlays",
      split = ",",
      completionCandidates = JoinableOverlays.class,
      description = "Overlays, any of ${COMPLETION-CANDIDATES} (default: all).")
  List<String> overlays = new ArrayList<>(JoinableOverlays.kinds());

  @Option(
      names = "--configs",
      split = ",",
      description = "baseline, channels, channels-parallel-affinity (default: all).")
  List<String> configs = new ArrayList<>(HandoffBenchCommand.MODES);

  @Mixin final VolumeOptions volume = new VolumeOptions(64);

  @Mixin final ClientLoadOptions load = new ClientLoadOptions();

  @Mixin final EmulatedLinkOptions link = new EmulatedLinkOptions(1, 1000);

  @Mixin final ClusterShapeOptions cluster = new ClusterShapeOptions();

  @Option(names = "--quick", description = "Smoke run: 4 MiB, ring 16, short phases.")
  boolean quick;

  @Mixin OutputOption output;

  /** One overlay x configuration cell. */
  record Cell(String overlay, String config, ModeResult result) {}

  /** Share of gets of the client (the description says 90%). */
  private static final double GET_FRACTION = 0.9;

  static final String CSV_HEADER =
      "overlay,config,background,op,ops,errors,ops_per_s,p50_us,p99_us,p999_us,max_us,"
          + "handoff_mib,handoff_s,handoff_complete";

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    if (quick) {
      volume.volumeMb = 4;
      cluster.ringSize = 16;
      load.idleSeconds = 1;
      load.rate = 100;
      volume.warmupMb = 0;
      volume.maxHandoffSeconds = 60;
    }
    overlays.forEach(JoinableOverlays::require);
    for (String c : configs) {
      if (!HandoffBenchCommand.MODES.contains(c)) {
        throw new IllegalArgumentException("unknown configuration " + c);
      }
    }
    Path dir = output.create();
    List<Cell> cells;
    try (ScratchDir data = ScratchDir.of(volume.dataDir, "overlays-bench")) {
      cells = runCells(data.path());
    }
    Files.write(dir.resolve("results.csv"), csv(cells));
    charts(dir, cells);
    String summary = summary(cells);
    ResultDir.writeConfig(dir, "bench overlays", settings());
    ResultDir.writeSummary(dir, summary);
    return 0;
  }

  /** The unreported warm-up, then each overlay x configuration cell. */
  private List<Cell> runCells(Path root) throws Exception {
    if (volume.warmupMb > 0) {
      System.out.printf(Locale.ROOT, "warm-up handoff (%d MiB, not reported)%n", volume.warmupMb);
      new HandoffRun(scenario(overlays.get(0)).warmup(volume.warmupMb))
          .run(configs.get(0), root.resolve("warmup"));
      ScratchDir.deleteTree(root.resolve("warmup"));
    }
    List<Cell> cells = new ArrayList<>();
    for (String overlay : overlays) {
      for (String config : configs) {
        System.out.printf(Locale.ROOT, "%n=== %s / %s ===%n", overlay, config);
        Path cellDir = root.resolve(overlay + "-" + config);
        cells.add(
            new Cell(overlay, config, new HandoffRun(scenario(overlay)).run(config, cellDir)));
        ScratchDir.deleteTree(cellDir);
      }
    }
    return cells;
  }

  /**
   * The handoff scenario over {@code overlay}; what this command has no option for is as {@code
   * bench handoff}'s defaults (its --quick: smaller objects, fewer client keys).
   */
  private HandoffScenario scenario(String overlay) {
    return new HandoffScenario(
        volume.volumeMb,
        quick ? 16 : 32, // KiB per seeded object
        cluster.ringSize,
        load.rate,
        GET_FRACTION,
        quick ? 100 : 1000, // client keys
        1024, // client value bytes
        load.idleSeconds,
        2, // handoff concurrency
        0, // no handoff rate limit
        volume.maxHandoffSeconds,
        overlay,
        cluster.parallelism,
        link.rttMs,
        link.bandwidthMbit);
  }

  private static FixedRateLoad.Stats stats(Cell c, String background, int op) {
    return (background.equals("none") ? c.result().idle() : c.result().handoff())[op];
  }

  private static List<String> csv(List<Cell> cells) {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (Cell c : cells) {
      ModeResult r = c.result();
      for (String bg : List.of("none", "handoff")) {
        double seconds = bg.equals("none") ? r.idleSeconds() : r.handoffSeconds();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats(c, bg, op);
          boolean h = bg.equals("handoff");
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s,%s,%s,%s,%s,%s,%s,%s",
                  c.overlay(),
                  c.config(),
                  bg,
                  op == 0 ? "get" : "put",
                  s.csvFigures(seconds),
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
            link.rttMs,
            link.bandwidthMbit == 0 ? "no" : Long.toString(link.bandwidthMbit),
            volume.volumeMb,
            load.rate,
            load.idleSeconds,
            cluster.ringSize,
            cluster.parallelism,
            Runtime.getRuntime().availableProcessors(),
            ResultDir.loadAverage(),
            java.time.LocalDateTime.now().withNano(0)));
    table(b, cells);
    ratios(b, cells);
    return b.toString();
  }

  /** Get and put latency per cell, idle and during the handoff. */
  private static void table(StringBuilder b, List<Cell> cells) {
    b.append(
        "| overlay | config | background | get p50 us | get p99 us | put p50 us | put p99 us |"
            + " gets | errors | handoff |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Cell c : cells) {
      for (String bg : List.of("none", "handoff")) {
        FixedRateLoad.Stats g = stats(c, bg, 0);
        FixedRateLoad.Stats p = stats(c, bg, 1);
        ModeResult r = c.result();
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
  }

  /** Each configuration's get p99 during the handoff against baseline's, per overlay. */
  private void ratios(StringBuilder b, List<Cell> cells) {
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
    m.put("volumeMb", volume.volumeMb);
    m.put("rate", load.rate);
    m.put("getFraction", GET_FRACTION);
    m.put("idleSeconds", load.idleSeconds);
    m.put("parallelism", cluster.parallelism);
    m.put("rttMs", link.rttMs);
    m.put("bandwidthMbit", link.bandwidthMbit);
    m.put("ringSize", cluster.ringSize);
    m.put("warmupMb", volume.warmupMb);
    m.put("maxHandoffSeconds", volume.maxHandoffSeconds);
    m.put("quick", quick);
    m.put("aae", "off (not part of the background yet)");
    return m;
  }
}
