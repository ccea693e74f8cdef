package dev.partisan.bench.handoff;

import picocli.CommandLine.Option;

/**
 * The client on the joining node: its fixed rate, and how long it is measured before handoff. Set
 * by picocli while parsing, then read (and changed by --quick) on the command's thread.
 */
final class ClientLoadOptions {
  @Option(names = "--rate", description = "Client operations per second (default: 300).")
  double rate = 300;

  @Option(names = "--idle-seconds", description = "Measured seconds before handoff (default: 10).")
  double idleSeconds = 10;
}
