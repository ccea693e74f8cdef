package dev.partisan.bench.sim;

import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.sim.SimConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The simulation's knobs beyond overlay, size, scenario and seed: links, failure detection, join
 * pace, settle bound, measurement counts. Defaults are the runtime's and {@link
 * SimConfig#defaults}'s. Set by picocli, read on the command's thread.
 */
public final class SimTuning {
  @Option(
      names = "--latency-ms",
      paramLabel = "MIN-MAX",
      description = "One-way link latency, uniform (default: ${DEFAULT-VALUE}).")
  String latency = "1-5";

  @Option(
      names = "--loss",
      paramLabel = "P",
      description = "Fraction of messages lost (default: ${DEFAULT-VALUE}).")
  double loss = 0;

  @Option(
      names = "--heartbeat-ms",
      paramLabel = "MS",
      description = "Heartbeat interval (default: ${DEFAULT-VALUE}, the runtime's).")
  long heartbeatMs = 500;

  @Option(
      names = "--detection-ms",
      paramLabel = "MS",
      description = "Failure detection time (default: ${DEFAULT-VALUE}).")
  long detectionMs = 3000;

  @Option(
      names = "--gossip-ms",
      paramLabel = "MS",
      description = "Anti-entropy period (default: ${DEFAULT-VALUE}).")
  long gossipMs = 1000;

  @Option(
      names = "--news-batch-ms",
      paramLabel = "MS",
      description =
          "Shortest time between two disseminations of membership news by a node; 0 sends every"
              + " change at once (default: ${DEFAULT-VALUE}, the runtime's).")
  long newsBatchMs = FailureDetection.DEFAULT_NEWS_BATCH.toMillis();

  @Option(
      names = "--join-interval-ms",
      paramLabel = "MS",
      description = "Time between two joins while the cluster forms (default: ${DEFAULT-VALUE}).")
  long joinIntervalMs = 20;

  @Option(
      names = "--settle-max-s",
      paramLabel = "S",
      description = "Longest wait for convergence after each phase (default: ${DEFAULT-VALUE}).")
  long settleMaxSeconds = 120;

  @Option(
      names = "--broadcasts",
      paramLabel = "N",
      description = "Broadcasts measured (default: ${DEFAULT-VALUE}).")
  int broadcasts = 10;

  @Option(
      names = "--pairs",
      paramLabel = "N",
      description = "Routed unicasts measured (default: ${DEFAULT-VALUE}).")
  int pairs = 200;

  private long[] latencyMillis() {
    String[] parts = latency.split("-", 2);
    long min = Long.parseLong(parts[0].trim());
    long max = parts.length > 1 ? Long.parseLong(parts[1].trim()) : min;
    return new long[] {min, max};
  }

  void validate(List<String> problems) {
    try {
      long[] l = latencyMillis();
      if (l[0] < 0 || l[1] < l[0]) {
        problems.add("--latency-ms must be MIN-MAX with 0 <= MIN <= MAX");
      }
    } catch (NumberFormatException e) {
      problems.add("--latency-ms must be MIN-MAX in milliseconds: " + latency);
    }
    if (loss < 0 || loss >= 1) {
      problems.add("--loss must be in [0, 1)");
    }
    if (heartbeatMs < 1
        || detectionMs < 4
        || gossipMs < 1
        || joinIntervalMs < 0
        || newsBatchMs < 0) {
      problems.add("timings must be positive");
    }
    if (settleMaxSeconds < 1 || broadcasts < 1 || pairs < 1) {
      problems.add("--settle-max-s, --broadcasts and --pairs must be >= 1");
    }
  }

  SimConfig apply(SimConfig base) {
    long[] l = latencyMillis();
    return base.withLinks(Duration.ofMillis(l[0]), Duration.ofMillis(l[1]), loss)
        .withTimings(
            SimBenchCommand.timings(heartbeatMs, detectionMs, gossipMs)
                .withNewsBatchInterval(Duration.ofMillis(newsBatchMs)),
            Duration.ofMillis(joinIntervalMs),
            Duration.ofSeconds(settleMaxSeconds))
        .withMeasurements(broadcasts, pairs);
  }

  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("latencyMs", latency);
    m.put("loss", loss);
    m.put("heartbeatMs", heartbeatMs);
    m.put("detectionMs", detectionMs);
    m.put("gossipMs", gossipMs);
    m.put("newsBatchMs", newsBatchMs);
    m.put("joinIntervalMs", joinIntervalMs);
    m.put("settleMaxSeconds", settleMaxSeconds);
    m.put("broadcasts", broadcasts);
    m.put("pairs", pairs);
    return m;
  }
}
