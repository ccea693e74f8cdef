package dev.partisan.bench.handoff;

import picocli.CommandLine.Option;

/**
 * {@code --rtt-ms} and {@code --bandwidth-mbit}: the link emulated between each pair of nodes. Each
 * command gives its own defaults (shown in its help). Set by picocli while parsing, then read on
 * the command's thread.
 */
final class EmulatedLinkOptions {
  @Option(
      names = "--rtt-ms",
      description =
          "Emulated round trip per node pair, ms; 0: plain loopback (default: ${DEFAULT-VALUE}).")
  double rttMs;

  @Option(
      names = "--bandwidth-mbit",
      description =
          "Emulated cap per direction of each node pair, Mbit/s; 0: none (default: ${DEFAULT-VALUE}).")
  long bandwidthMbit;

  EmulatedLinkOptions(double rttMs, long bandwidthMbit) {
    this.rttMs = rttMs;
    this.bandwidthMbit = bandwidthMbit;
  }
}
