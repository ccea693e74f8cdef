package dev.partisan.bench.handoff;

import picocli.CommandLine.Option;

/**
 * {@code --ring-size} and {@code --parallelism}: the partitions and request lanes of the nodes. Set
 * by picocli while parsing, then read (and changed by --quick) on the command's thread.
 */
final class ClusterShapeOptions {
  @Option(names = "--ring-size", description = "Partitions (default: 64).")
  int ringSize = 64;

  @Option(
      names = "--parallelism",
      description =
          "Request-channel lanes in mode channels-parallel-affinity (key = partition; default: 4).")
  int parallelism = 4;
}
