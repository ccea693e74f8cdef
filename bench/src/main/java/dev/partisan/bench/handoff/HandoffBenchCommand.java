package dev.partisan.bench.handoff;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.runtime.overlay.Overlays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench handoff}: client latency while a large ownership handoff runs, with the store's
 * channels (request, handoff and anti-entropy traffic on their own connections) against baseline
 * mode (one connection per pair of nodes, as Distributed Erlang).
 *
 * <p>Per mode: node1 and node2 form a cluster whose RocksDB stores are seeded directly with {@code
 * --volume-mb} of objects (N=3, so each key has three replicas on the two nodes); node3 joins with
 * handoff paused (concurrency 0, riak's {@code transfer-limit 0}); a client on node3 runs gets and
 * puts at a fixed rate, first with nothing else going on ({@code idle}), then while handoff moves
 * about a third of the stored replicas, {@code --volume-mb} in all, to node3 ({@code handoff}). The
 * client is on the receiving node so its replies from node1 and node2 travel the same way as the
 * handoff batches: in baseline mode, behind them on the same connection. One mode is a {@link
 * HandoffRun}; this command runs the modes in rounds and writes the {@link HandoffReport}.
 */
@Command(
    name = "handoff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Get/put latency during a large ownership handoff: channels vs baseline (one connection).",
      "Writes summary.md and results.csv under bench-results/handoff/<timestamp>/."
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

  @Option(
      names = "--overlay",
      completionCandidates = JoinableOverlays.class,
      description =
          "One of ${COMPLETION-CANDIDATES}; with client-server node3 is a client (default:"
              + " ${DEFAULT-VALUE}).")
  String overlay = Overlays.DEFAULT_KIND;

  @Option(
      names = "--modes",
      split = ",",
      description =
          "Modes to run: channels, baseline, channels-parallel-affinity (default: channels,"
              + " baseline).")
  List<String> modes = new ArrayList<>(List.of("channels", "baseline"));

  @Option(
      names = "--rounds",
      description =
          "Rounds; each runs every mode, in alternating order (ABBA), to cancel order effects;"
              + " the summary pools them (default: 2).")
  int rounds = 2;

  @Option(names = "--quick", description = "Smoke test: 8 MiB, ring 16, short phases, 1 round.")
  boolean quick;

  @Mixin OutputOption output;

  static final List<String> MODES = List.of("baseline", "channels", "channels-parallel-affinity");

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    JoinableOverlays.require(overlay);
    if (quick) {
      volume.volumeMb = 8;
      valueKb = 16;
      cluster.ringSize = 16;
      load.idleSeconds = 1;
      load.rate = 100;
      clientKeys = 100;
      volume.maxHandoffSeconds = 60;
      volume.warmupMb = 0;
      rounds = 1;
    }
    Path outDir = output.create();
    HandoffScenario scenario = scenario();
    System.out.printf(
        Locale.ROOT,
        "handoff bench: %d MiB in %d KiB objects, ring %d, client %.0f ops/s (%.0f%% gets) on the"
            + " receiving node, handoff concurrency %d, handoff rate limit %s, %d cores%n",
        scenario.volumeMb(),
        valueKb,
        scenario.ringSize(),
        scenario.rate(),
        getFraction * 100,
        concurrency,
        handoffRateMb > 0 ? handoffRateMb + " MiB/s" : "none",
        Runtime.getRuntime().availableProcessors());
    List<ModeResult> results;
    try (ScratchDir data = ScratchDir.of(volume.dataDir, "handoff-bench")) {
      results = runRounds(scenario, data.path());
    }
    HandoffReport report = new HandoffReport(scenario, modes, results);
    report.writeCsv(outDir.resolve("results.csv"));
    String summary = report.summary();
    ResultDir.writeSummary(outDir, summary);
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
        cluster.parallelism,
        link.rttMs,
        link.bandwidthMbit);
  }

  /** The unreported warm-up, then every mode in each round, in ABBA order. */
  private List<ModeResult> runRounds(HandoffScenario scenario, Path root) throws Exception {
    if (volume.warmupMb > 0) {
      System.out.printf(Locale.ROOT, "%nwarm-up (%d MiB, not reported)%n", volume.warmupMb);
      new HandoffRun(scenario.warmup(volume.warmupMb)).run(modes.get(0), root.resolve("warmup"));
      ScratchDir.deleteTree(root.resolve("warmup"));
    }
    for (String mode : modes) {
      if (!MODES.contains(mode)) {
        throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
    HandoffRun run = new HandoffRun(scenario);
    List<ModeResult> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(modes);
      if (round % 2 == 0) {
        Collections.reverse(order);
      }
      for (String mode : order) {
        results.add(run.run(mode, root.resolve(mode)).inRound(round));
        ScratchDir.deleteTree(root.resolve(mode));
      }
    }
    return results;
  }
}
