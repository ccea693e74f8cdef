package dev.partisan.bench.handoff;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.bench.rounds.Rounds;
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
 * {@code bench overlays}: get/put latency per overlay x channel configuration ({@link
 * ChannelMode}), with nothing else going on and during a large ownership handoff. Each cell is one
 * {@link HandoffRun} of the scenario of {@link HandoffBenchCommand} (seeding, cluster of {@code
 * --nodes} and fixed-rate client on the joining node) with that overlay and configuration; every
 * overlay x configuration runs once per round, in ABBA order over all of them. With client-server,
 * the joining node (where the client runs) is a client and the others are servers, so with 5 nodes
 * the client's requests reach the four servers directly and the servers relay nothing for it.
 */
@Command(
    name = "overlays",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "KV latency across overlays x channel configurations (baseline, channels-no-classes,",
      "channels, channels-parallel-affinity), idle and during a handoff of --volume-mb to a",
      "joining node, in ABBA rounds. --nodes nodes (default 3), N=3, R=W=quorum, 90% gets.",
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
      converter = ChannelMode.Converter.class,
      description =
          "Configurations, in round 1's order: baseline, channels-no-classes, channels,"
              + " channels-parallel-affinity (default: all).")
  List<ChannelMode> configs = new ArrayList<>(List.of(ChannelMode.values()));

  @Mixin final VolumeOptions volume = new VolumeOptions(64);

  @Mixin final ClientLoadOptions load = new ClientLoadOptions();

  @Mixin final EmulatedLinkOptions link = new EmulatedLinkOptions(1, 1000);

  @Mixin final ClusterShapeOptions cluster = new ClusterShapeOptions();

  @Mixin final NodeOptions node = new NodeOptions();

  @Mixin final PlacementOptions placement = new PlacementOptions();

  @Mixin final RoundsOptions rounds = new RoundsOptions(3);

  @Option(
      names = "--quick",
      description =
          "Smoke run: 4 MiB, ring 16, short phases (4 s idle with --aae), 1 round unless --rounds.")
  boolean quick;

  @Mixin OutputOption output;

  /** Share of gets of the client (the description says 90%). */
  private static final double GET_FRACTION = 0.9;

  @Override
  public Integer call() throws Exception {
    String loadAtStart = ResultDir.loadAverage();
    BenchLogging.warningsOnly();
    if (quick) {
      volume.volumeMb = 4;
      cluster.ringSize = 16;
      load.idleSeconds = node.aae ? 4 : 1; // with --aae: long enough for an exchange round
      load.rate = 100;
      volume.warmupMb = 0;
      volume.maxHandoffSeconds = 60;
      rounds.quick();
    }
    rounds.rounds();
    overlays.forEach(JoinableOverlays::require);
    HandoffScenario scenario = scenario(overlays.get(0)); // what the overlays' runs share
    Path dir = output.create();
    List<HandoffReport.Cell> cells;
    try (ScratchDir data = ScratchDir.of(volume.dataDir, "overlays-bench")) {
      cells = runCells(scenario, data.path());
    }
    HandoffReport report = new HandoffReport(scenario, overlays, configs, cells);
    report.writeCsv(dir.resolve("results.csv"));
    report.writeCharts(dir);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("overlays", overlays);
    settings.put("configs", configs.stream().map(ChannelMode::label).toList());
    settings.put("rounds", rounds.rounds);
    settings.put("roundOrder", Rounds.letters(overlays.size() * configs.size(), rounds.rounds));
    settings.putAll(scenario.settings());
    settings.put("warmupMb", volume.warmupMb);
    settings.put("quick", quick);
    settings.put("processes", placement.processes);
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(dir, provenance, settings);
    ResultDir.writeSummary(
        dir, provenance, report.summary("bench overlays", intro(scenario), loadAtStart));
    return 0;
  }

  /**
   * The unreported warm-up, then each round runs every overlay x configuration, in ABBA order over
   * all of them (A B C ... C B A), so overlays meet the machine's drift alike, as configurations
   * do.
   */
  private List<HandoffReport.Cell> runCells(HandoffScenario scenario, Path root) throws Exception {
    if (volume.warmupMb > 0) {
      System.out.printf(Locale.ROOT, "warm-up handoff (%d MiB, not reported)%n", volume.warmupMb);
      new HandoffRun(scenario.warmup(volume.warmupMb), placement.placement())
          .run(configs.get(0), root.resolve("warmup"));
      ScratchDir.deleteTree(root.resolve("warmup"));
    }
    Map<String, HandoffRun> runs = new LinkedHashMap<>();
    List<Map.Entry<String, ChannelMode>> pairs = new ArrayList<>();
    for (String overlay : overlays) {
      runs.put(overlay, new HandoffRun(scenario(overlay), placement.placement()));
      configs.forEach(config -> pairs.add(Map.entry(overlay, config)));
    }
    List<HandoffReport.Cell> cells = new ArrayList<>();
    for (Rounds.Run<Map.Entry<String, ChannelMode>> run : Rounds.schedule(pairs, rounds.rounds)) {
      String overlay = run.config().getKey();
      ChannelMode config = run.config().getValue();
      System.out.printf(
          Locale.ROOT, "%n=== %s / %s, round %d ===%n", overlay, config.label(), run.round());
      Path cellDir = root.resolve(overlay + "-" + config.label());
      ModeResult result = runs.get(overlay).run(config, cellDir).inRound(run.round());
      cells.add(new HandoffReport.Cell(overlay, result));
      ScratchDir.deleteTree(cellDir);
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
        cluster.nodes,
        cluster.parallelism,
        link.rttMs,
        link.bandwidthMbit,
        node.store(),
        node.runtime());
  }

  private String intro(HandoffScenario s) {
    return String.format(
        Locale.ROOT,
        "%s, real RocksDB;"
            + " the first %d seeded with %d MiB (N=3) and forming the ring; the last joins (with"
            + " client-server, as a client; the others are servers); a client on it runs %.0f"
            + " ops/s (90%% gets, R=W=quorum, open loop) for %.0f s with no handoff, then while"
            + " handoff moves its share to it. Ring %d; %d lanes in channels-parallel-affinity.",
        placement.placement().describe(s),
        s.nodes() - 1,
        s.volumeMb(),
        s.rate(),
        s.idleSeconds(),
        s.ringSize(),
        s.parallelism());
  }
}
