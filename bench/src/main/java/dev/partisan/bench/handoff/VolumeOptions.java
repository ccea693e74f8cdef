package dev.partisan.bench.handoff;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What is handed off and where it is stored: the seeded volume, the unreported warm-up handoff
 * before it (each command gives its own default), the bound on a handoff and the stores' directory.
 * Set by picocli while parsing, then read (and changed by --quick) on the command's thread.
 */
final class VolumeOptions {
  @Option(
      names = "--volume-mb",
      description =
          "Seeded volume, MiB; the handoff moves about this much to node3 (default: 1024).")
  long volumeMb = 1024;

  @Option(
      names = "--warmup-mb",
      description =
          "A throw-away handoff of this many MiB first, not reported, so the JIT has compiled the"
              + " store's paths before anything is measured (default: ${DEFAULT-VALUE}; 0: none).")
  long warmupMb;

  @Option(
      names = "--max-handoff-seconds",
      description = "Give up on the handoff phase after this (default: 900).")
  double maxHandoffSeconds = 900;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the nodes' RocksDB stores go (default: a temp dir, deleted after).")
  Path dataDir;

  VolumeOptions(long warmupMb) {
    this.warmupMb = warmupMb;
  }
}
