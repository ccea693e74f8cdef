package dev.partisan.bench.sim;

import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.sim.SimConfig;
import dev.partisan.runtime.sim.SimResult;
import dev.partisan.runtime.sim.SimScenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench sim}: the production overlay code on a deterministic discrete-event simulation
 * (package {@code dev.partisan.runtime.sim}), at sizes one machine cannot start for real. Every
 * figure except the wall-clock ones is simulated, so the machine's load changes only how long a run
 * takes.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Deterministic simulation of the overlays' production code: virtual clock, seeded links"
          + " (uniform latency, FIFO per pair), simulated timers and transport.",
      "Per (overlay, size, scenario): convergence of the graph and of the membership, components,"
          + " broadcast delivery and redundancy, routed-unicast delivery and hops, wall-clock"
          + " time and events/s. The same seed repeats a run exactly (the digest column).",
      "Writes results.csv, summary.md and config.properties to the output directory."
    })
public final class SimBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--overlay",
      split = ",",
      paramLabel = "NAME",
      completionCandidates = JoinableOverlays.class,
      description = "Overlays: any of ${COMPLETION-CANDIDATES} (default: hyparview).")
  List<String> overlays = new ArrayList<>(List.of("hyparview"));

  @Option(
      names = "--nodes",
      split = ",",
      paramLabel = "N",
      description = "Cluster sizes (default: 1000,5000,10000).")
  List<Integer> nodes = new ArrayList<>(List.of(1000, 5000, 10000));

  @Option(
      names = "--scenario",
      split = ",",
      paramLabel = "NAME",
      description = "Scenarios: joins, churn, fail-half (default: all three).")
  List<String> scenarios = new ArrayList<>(SimScenario.NAMES);

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "The seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--full-mesh-max",
      paramLabel = "N",
      description =
          "Largest full mesh simulated: every node views every other, O(n^2) (default:"
              + " ${DEFAULT-VALUE}).")
  int fullMeshMax = 1000;

  @Mixin final SimTuning tuning = new SimTuning();

  @Option(
      names = "--time-limit-minutes",
      paramLabel = "M",
      description = "Start no new run after M minutes; 0 = no limit (default: ${DEFAULT-VALUE}).")
  double timeLimitMinutes = 0;

  @Mixin OutputOption output;

  @Override
  public Integer call() throws IOException {
    validate();
    Path dir = output.create();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("overlays", String.join(",", overlays));
    settings.put("nodes", nodes);
    settings.put("scenarios", String.join(",", scenarios));
    settings.put("seed", seed);
    settings.putAll(tuning.describe());
    long start = System.nanoTime();
    SimReport report = new SimReport(dir);
    for (String overlay : overlays) {
      for (int n : nodes) {
        for (String scenario : scenarios) {
          String skip = skipReason(overlay, n, start);
          if (skip != null) {
            System.err.printf("%s %s n=%d: skipped (%s)%n", overlay, scenario, n, skip);
            report.skipped(overlay, scenario, n, seed, skip);
            continue;
          }
          System.err.printf("%s %s n=%d seed=%d%n", overlay, scenario, n, seed);
          SimConfig config = tuning.apply(SimConfig.defaults(overlay, n, seed));
          SimResult r =
              SimScenario.run(
                  scenario, config, line -> System.err.println("  " + line), HeapUse::usedMiB);
          report.add(r);
        }
      }
    }
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(dir, provenance, settings);
    ResultDir.writeSummary(dir, provenance, report.summary());
    return 0;
  }

  private String skipReason(String overlay, int n, long start) {
    if (overlay.equals("full-mesh") && n > fullMeshMax) {
      return "full mesh is O(n^2) in views and heartbeats; above --full-mesh-max " + fullMeshMax;
    }
    double minutes = (System.nanoTime() - start) / 60e9;
    if (timeLimitMinutes > 0 && minutes >= timeLimitMinutes) {
      return "time limit of " + timeLimitMinutes + " minutes reached";
    }
    return null;
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    for (String o : overlays) {
      if (!JoinableOverlays.kinds().contains(o)) {
        problems.add("unknown overlay '" + o + "' (have: " + JoinableOverlays.kinds() + ")");
      }
    }
    for (String s : scenarios) {
      if (!SimScenario.NAMES.contains(s)) {
        problems.add("unknown scenario '" + s + "' (have: " + SimScenario.NAMES + ")");
      }
    }
    for (int n : nodes) {
      if (n < 2) {
        problems.add("--nodes must each be >= 2");
      }
    }
    tuning.validate(problems);
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  /** Failure-detection timings as the runtime's settings name them. */
  static FailureDetection timings(long heartbeatMs, long detectionMs, long gossipMs) {
    return new FailureDetection(
        Duration.ofMillis(heartbeatMs),
        Duration.ofMillis(detectionMs),
        Duration.ofMillis(gossipMs));
  }
}
