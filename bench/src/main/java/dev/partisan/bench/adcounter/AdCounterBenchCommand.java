package dev.partisan.bench.adcounter;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.handoff.RoundsOptions;
import dev.partisan.bench.report.GcPauses;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.runtime.overlay.Overlays;
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
 * {@code bench adcounter}: Lasp's advertisement counter, the application of the Partisan paper's
 * evaluation, over the store's data types: one {@link AdCounterRun} per overlay and round, the
 * overlays in ABBA order across rounds. Options are set by picocli, then read on the command's
 * thread.
 */
@Command(
    name = "adcounter",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lasp's advertisement counter over the data-type API: clients increment the",
      "impression counters of ads spread over the cluster and disable an ad once its",
      "count reaches the threshold. One in-process cluster per overlay and round",
      "(ABBA). Measures increments/s, update and read latency, and the over-count",
      "(impressions past the threshold). Writes results.csv, ads.csv, summary.md,",
      "PNG charts and config.properties under bench-results/adcounter/<timestamp>/."
    })
public final class AdCounterBenchCommand implements Callable<Integer> {
  @Option(
      names = "--overlays",
      split = ",",
      description = "Overlays, any of full-mesh, client-server, hyparview, static (default: all).")
  List<String> overlays = new ArrayList<>(Overlays.kinds());

  @Option(names = "--nodes", description = "Nodes of each cluster (default: 3).")
  int nodes = 3;

  @Option(names = "--ads", description = "Ads, one counter each (default: 50).")
  int ads = 50;

  @Option(
      names = "--threshold",
      description = "Impressions after which an ad is disabled (default: 500).")
  long threshold = 500;

  @Option(
      names = "--clients",
      description = "Client processes, spread over the nodes (default: 12).")
  int clients = 12;

  @Option(
      names = "--read-every",
      paramLabel = "N",
      description = "A client reads an ad's counter after every N of its impressions (default: 5).")
  int readEvery = 5;

  @Option(
      names = "--refresh-ms",
      description = "How often a client re-reads the set of enabled ads (default: 250).")
  long refreshMillis = 250;

  @Option(names = "--seconds", description = "Bound on each run's length (default: 60).")
  double seconds = 60;

  @Option(
      names = "--max-increments",
      description = "Bound on each run's increments (default: 1000000).")
  long maxIncrements = 1_000_000;

  @Option(names = "--ring-size", description = "Partitions (default: 32).")
  int ringSize = 32;

  @Option(names = "--timeout-ms", description = "Per-request timeout (default: 10000).")
  long timeoutMillis = 10_000;

  @Mixin final RoundsOptions rounds = new RoundsOptions();

  @Option(
      names = "--warmup-runs",
      description =
          "Unreported runs on the first overlay before the measured ones, so the JIT's warm-up"
              + " does not land on whichever overlay runs first (default: 2).")
  int warmupRuns = 2;

  @Option(
      names = "--quick",
      description =
          "Smoke run: 6 ads, threshold 20, 4 clients, ring 16, 20 s bound, 1 round, no warm-up.")
  boolean quick;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the nodes' stores go (default: a temp dir, deleted after).")
  Path dataDir;

  @Mixin OutputOption output;

  /** The runs of the last call, in the order they ran (for tests). */
  private List<AdRunResult> runs = List.of();

  @Override
  public Integer call() throws Exception {
    String loadAtStart = ResultDir.loadAverage();
    BenchLogging.warningsOnly();
    if (quick) {
      ads = 6;
      threshold = 20;
      clients = 4;
      ringSize = 16;
      seconds = 20;
      rounds.rounds = 1;
      warmupRuns = 0;
    }
    if (overlays.isEmpty() || rounds.rounds < 1 || warmupRuns < 0) {
      throw new IllegalArgumentException(
          "need at least one overlay and one round, and no negative --warmup-runs");
    }
    for (String overlay : overlays) {
      if (!Overlays.kinds().contains(overlay)) {
        throw new IllegalArgumentException(
            "unknown overlay '" + overlay + "'; choose from " + Overlays.kinds());
      }
    }
    AdCounterSettings s =
        new AdCounterSettings(
            ads,
            threshold,
            clients,
            readEvery,
            refreshMillis,
            seconds,
            maxIncrements,
            nodes,
            ringSize,
            timeoutMillis);
    Path dir = output.create();
    List<AdRunResult> done = new ArrayList<>();
    GcPauses.Interval gc;
    try (GcPauses pauses = new GcPauses();
        ScratchDir data = ScratchDir.of(dataDir, "adcounter-bench")) {
      AdCounterRun run = new AdCounterRun(s);
      for (int w = 1; w <= warmupRuns; w++) {
        System.out.printf(
            Locale.ROOT, "%n=== warm-up %d on %s (not reported) ===%n", w, overlays.get(0));
        run.run(overlays.get(0), 0, data.path().resolve("warmup-" + w));
      }
      pauses.interval(); // the warm-up's pauses are not the measured runs'
      for (int round = 1; round <= rounds.rounds; round++) {
        for (String overlay : RoundsOptions.order(overlays, round)) {
          System.out.printf(Locale.ROOT, "%n=== %s, round %d ===%n", overlay, round);
          done.add(run.run(overlay, round, data.path().resolve(overlay + "-" + round)));
        }
      }
      gc = pauses.interval();
    }
    runs = List.copyOf(done);
    AdCounterReport report = new AdCounterReport(s, overlays, runs);
    report.writeCsv(dir);
    report.writeCharts(dir);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("overlays", overlays);
    settings.put("rounds", rounds.rounds);
    settings.put("warmupRuns", warmupRuns);
    settings.putAll(s.asMap());
    settings.put("quick", quick);
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(dir, provenance, settings);
    ResultDir.writeSummary(dir, provenance, report.summary(loadAtStart, gc));
    return 0;
  }

  List<AdRunResult> runs() {
    return runs;
  }
}
