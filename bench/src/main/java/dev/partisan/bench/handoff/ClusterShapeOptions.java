package dev.partisan.bench.handoff;

import picocli.CommandLine.Option;

/**
 * {@code --nodes}, {@code --ring-size} and {@code --parallelism}: the nodes, their partitions and
 * request lanes. Set by picocli while parsing, then read (and changed by --quick) on the command's
 * thread.
 */
final class ClusterShapeOptions {
  @Option(
      names = "--nodes",
      description =
          "Nodes (at least 3): all but the last are seeded and form the ring, the last joins and"
              + " receives the handoff; the client runs on it (default: 3).")
  int nodes = 3;

  @Option(names = "--ring-size", description = "Partitions (default: 64).")
  int ringSize = 64;

  @Option(
      names = "--parallelism",
      description =
          "Request-channel lanes in mode channels-parallel-affinity (key = partition; default: 4).")
  int parallelism = 4;
}
