package dev.partisan.bench.handoff;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.runtime.overlay.Overlays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench handoff}: client latency while a large ownership handoff runs, in each {@link
 * ChannelMode}: baseline (one connection per pair of nodes, as Distributed Erlang), the store's
 * channels without traffic classes, and the channels with classes (handoff and anti-entropy on
 * their own event loops).
 *
 * <p>Per mode: the first N-1 nodes ({@code --nodes}, default 3) form a cluster whose RocksDB stores
 * are seeded directly with {@code --volume-mb} of objects (N=3 replicas); the last node joins with
 * handoff paused (concurrency 0, riak's {@code transfer-limit 0}); a client on it runs gets and
 * puts at a fixed rate, first with nothing else going on ({@code idle}; with {@code --aae},
 * anti-entropy exchanges), then while handoff moves its share of the stored replicas to it ({@code
 * handoff}; about {@code --volume-mb} with 3 nodes, 3/N of it with N). The client is on the
 * receiving node so its replies travel the same way as the handoff batches: in baseline mode,
 * behind them on the same connection. The nodes share one event loop group of two threads and, in
 * the modes with classes, one bulk group of one thread ({@code --runtime bulk_event_loop_threads=N}
 * to change it): the JVM has one node's event loops, whatever the node count. One mode is a {@link
 * HandoffRun}; this command runs the modes in ABBA rounds and writes the {@link HandoffReport}.
 */
@Command(
    name = "handoff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Get/put latency during a large ownership handoff: baseline (one connection) vs the",
      "store's channels without and with traffic classes, in ABBA rounds.",
      "Writes summary.md, results.csv, charts (get-p99.png, get-p50.png) and",
      "config.properties under bench-results/handoff/<timestamp>/."
    })
public final class HandoffBenchCommand implements Callable<Integer> {
  @Mixin final VolumeOptions volume = new VolumeOptions(128);

  @Option(names = "--value-kb", description = "Size of the seeded objects, KiB (default: 32).")
  int valueKb = 32;

  @Mixin final ClientLoadOptions load = new ClientLoadOptions();

  @Option(names = "--get-fraction", description = "Share of gets (default: 0.9).")
  double getFraction = 0.9;

  @Option(names = "--client-keys", description = "Keys the client uses (default: 1000).")
  int clientKeys = 1000;

  @Option(names = "--client-value", description = "Client value size, bytes (default: 1024).")
  int clientValue = 1024;

  @Option(names = "--concurrency", description = "Handoff concurrency per node (default: 2).")
  int concurrency = 2;

  @Option(
      names = "--handoff-rate-mb",
      description =
          "Each node's outbound handoff rate limit, MiB/s (handoff.max_bytes_per_second); 0:"
              + " unlimited (default: 0).")
  double handoffRateMb = 0;

  @Mixin final EmulatedLinkOptions link = new EmulatedLinkOptions(0, 0);

  @Mixin final ClusterShapeOptions cluster = new ClusterShapeOptions();

  @Mixin final NodeOptions node = new NodeOptions();

  @Mixin final PlacementOptions placement = new PlacementOptions();

  @Option(
      names = "--overlay",
      completionCandidates = JoinableOverlays.class,
      description =
          "One of ${COMPLETION-CANDIDATES}; with client-server the joining node is a client, the"
              + " others servers (default: ${DEFAULT-VALUE}).")
  String overlay = Overlays.DEFAULT_KIND;

  @Option(
      names = "--modes",
      split = ",",
      converter = ChannelMode.Converter.class,
      description =
          "Modes to run, in round 1's order: baseline, channels-no-classes, channels,"
              + " channels-parallel-affinity (default: baseline,channels-no-classes,channels).")
  List<ChannelMode> modes =
      new ArrayList<>(
          List.of(ChannelMode.BASELINE, ChannelMode.CHANNELS_NO_CLASSES, ChannelMode.CHANNELS));

  @Mixin final RoundsOptions rounds = new RoundsOptions();

  @Option(
      names = "--quick",
      description = "Smoke test: 8 MiB, ring 16, short phases (4 s idle with --aae), 1 round.")
  boolean quick;

  @Mixin OutputOption output;

  @Override
  public Integer call() throws Exception {
    String loadAtStart = ResultDir.loadAverage();
    BenchLogging.warningsOnly();
    JoinableOverlays.require(overlay);
    if (quick) {
      volume.volumeMb = 8;
      valueKb = 16;
      cluster.ringSize = 16;
      load.idleSeconds = node.aae ? 4 : 1; // with --aae: long enough for an exchange round
      load.rate = 100;
      clientKeys = 100;
      volume.maxHandoffSeconds = 60;
      volume.warmupMb = 0;
      rounds.rounds = 1;
    }
    HandoffScenario scenario = scenario();
    Path outDir = output.create();
    System.out.printf(
        Locale.ROOT,
        "handoff bench: %d nodes, %d MiB in %d KiB objects, ring %d, client %.0f ops/s (%.0f%%"
            + " gets) on the receiving node, handoff concurrency %d, handoff rate limit %s,"
            + " anti-entropy %s, %d cores%n",
        scenario.nodes(),
        scenario.volumeMb(),
        valueKb,
        scenario.ringSize(),
        scenario.rate(),
        getFraction * 100,
        concurrency,
        handoffRateMb > 0 ? handoffRateMb + " MiB/s" : "none",
        node.aae ? "on" : "off",
        Runtime.getRuntime().availableProcessors());
    List<HandoffReport.Cell> cells;
    try (ScratchDir data = ScratchDir.of(volume.dataDir, "handoff-bench")) {
      cells = runRounds(scenario, data.path());
    }
    HandoffReport report = new HandoffReport(scenario, List.of(overlay), modes, cells);
    report.writeCsv(outDir.resolve("results.csv"));
    report.writeCharts(outDir);
    Map<String, Object> settings = scenario.settings();
    settings.put("overlay", overlay);
    settings.put("modes", modes.stream().map(ChannelMode::label).toList());
    settings.put("rounds", rounds.rounds);
    settings.put("warmupMb", volume.warmupMb);
    settings.put("quick", quick);
    settings.put("processes", placement.processes);
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(outDir, provenance, settings);
    ResultDir.writeSummary(
        outDir, provenance, report.summary("bench handoff", intro(scenario), loadAtStart));
    return 0;
  }

  /** The scenario as the options (after --quick) set it. */
  private HandoffScenario scenario() {
    return new HandoffScenario(
        volume.volumeMb,
        valueKb,
        cluster.ringSize,
        load.rate,
        getFraction,
        clientKeys,
        clientValue,
        load.idleSeconds,
        concurrency,
        handoffRateMb,
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
        "%d MiB seeded in %d KiB objects (N=3) on the nodes that form the ring; a node joins and"
            + " receives its share by handoff (ring %d, handoff concurrency %d, rate limit %s,"
            + " overlay %s, emulated link: %s); client on the receiving node: %.0f ops/s, %.0f%%"
            + " gets, %d keys of %d B, R=W=quorum, open loop; %.0f s idle, then the whole handoff. %s.",
        s.volumeMb(),
        s.valueKb(),
        s.ringSize(),
        s.concurrency(),
        s.handoffRateMb() > 0 ? s.handoffRateMb() + " MiB/s per node" : "none",
        s.overlay(),
        s.rttMs() > 0 || s.bandwidthMbit() > 0
            ? String.format(
                Locale.ROOT,
                "RTT %s ms, %s Mbit/s per direction",
                s.rttMs(),
                s.bandwidthMbit() == 0 ? "no cap" : Long.toString(s.bandwidthMbit()))
            : "none, plain loopback",
        s.rate(),
        s.getFraction() * 100,
        s.clientKeys(),
        s.clientValue(),
        s.idleSeconds(),
        placement.placement().describe(s));
  }

  /** The unreported warm-up, then every mode in each round, in ABBA order. */
  private List<HandoffReport.Cell> runRounds(HandoffScenario scenario, Path root) throws Exception {
    if (volume.warmupMb > 0) {
      System.out.printf(Locale.ROOT, "%nwarm-up (%d MiB, not reported)%n", volume.warmupMb);
      new HandoffRun(scenario.warmup(volume.warmupMb), placement.placement())
          .run(modes.get(0), root.resolve("warmup"));
      ScratchDir.deleteTree(root.resolve("warmup"));
    }
    HandoffRun run = new HandoffRun(scenario, placement.placement());
    List<HandoffReport.Cell> results = new ArrayList<>();
    for (int round = 1; round <= rounds.rounds; round++) {
      for (ChannelMode mode : RoundsOptions.order(modes, round)) {
        Path dir = root.resolve(mode.label());
        results.add(new HandoffReport.Cell(overlay, run.run(mode, dir).inRound(round)));
        ScratchDir.deleteTree(dir);
      }
    }
    return results;
  }
}
