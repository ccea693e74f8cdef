package dev.partisan.bench.scale;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The relaxed failure-detector and gossip timings, and from which cluster size a step uses them
 * instead of the runtime's defaults. Set by picocli while parsing, then read on the command's
 * thread.
 */
final class TimingOptions {
  @Option(
      names = "--relaxed-from",
      paramLabel = "N",
      description =
          "Steps with at least N nodes use the relaxed timings below, smaller ones the runtime"
              + " defaults (default: ${DEFAULT-VALUE}: relaxed everywhere).")
  int relaxedFrom = 0;

  @Option(
      names = "--heartbeat-ms",
      paramLabel = "MS",
      description = "Relaxed heartbeat interval (default: ${DEFAULT-VALUE}).")
  long heartbeatMs = 1000;

  @Option(
      names = "--detection-ms",
      paramLabel = "MS",
      description = "Relaxed failure-detection time (default: ${DEFAULT-VALUE}).")
  long detectionMs = 10_000;

  @Option(
      names = "--gossip-ms",
      paramLabel = "MS",
      description = "Relaxed anti-entropy gossip interval (default: ${DEFAULT-VALUE}).")
  long gossipMs = 2000;

  /** The timings of a step of {@code n} nodes. */
  StepTimings timingsFor(int n) {
    if (n < relaxedFrom) {
      return StepTimings.runtimeDefaults();
    }
    return new StepTimings(
        Duration.ofMillis(heartbeatMs),
        Duration.ofMillis(detectionMs),
        Duration.ofMillis(gossipMs),
        true);
  }

  void validate(List<String> problems) {
    if (heartbeatMs < 10 || detectionMs < 2 * heartbeatMs || gossipMs < 10) {
      problems.add("need --heartbeat-ms >= 10, --gossip-ms >= 10, --detection-ms >= 2 beats");
    }
  }
}
