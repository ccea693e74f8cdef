package dev.partisan.bench.handoff;

import picocli.CommandLine.Option;

/**
 * {@code --processes}: where the nodes run. Set by picocli while parsing, then read on the
 * command's thread.
 */
final class PlacementOptions {
  @Option(
      names = "--processes",
      description =
          "Run each seeded node in its own JVM (bench handoff-node, the same JDK and class path),"
              + " behind a link proxy per node when --rtt-ms or --bandwidth-mbit is set; the"
              + " joining node and the client stay in this JVM. Default: every node in this JVM.")
  boolean processes;

  Placement placement() {
    return processes ? Placement.PROCESSES : Placement.IN_PROCESS;
  }
}
