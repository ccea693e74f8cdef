package dev.partisan.bench.scale;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The bounds of each step: the convergence budget, the delivery timeout and the number of unicast
 * pairs. Unset, each takes a default that depends on {@code --quick}. Set by picocli while parsing,
 * then read on the command's thread.
 */
final class StepBoundOptions {
  @Option(
      names = "--budget-seconds",
      paramLabel = "S",
      description =
          "Convergence budget per step, from the first join (default: 120; with --quick: 60).")
  Integer budgetSeconds;

  @Option(
      names = "--delivery-timeout",
      paramLabel = "S",
      description =
          "Bound on broadcast and on unicast delivery per step (default: 30; with --quick: 15).")
  Integer deliveryTimeoutSeconds;

  @Option(
      names = "--pairs",
      paramLabel = "N",
      description =
          "Random (sender, receiver) pairs of the unicast test (default: 200; --quick: 50).")
  Integer pairs;

  Duration budget(boolean quick) {
    return Duration.ofSeconds(budgetSeconds != null ? budgetSeconds : quick ? 60 : 120);
  }

  Duration delivery(boolean quick) {
    return Duration.ofSeconds(
        deliveryTimeoutSeconds != null ? deliveryTimeoutSeconds : quick ? 15 : 30);
  }

  int pairCount(boolean quick) {
    return pairs != null ? pairs : quick ? 50 : 200;
  }
}
