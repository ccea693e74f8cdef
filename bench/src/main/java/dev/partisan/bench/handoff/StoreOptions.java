package dev.partisan.bench.handoff;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --aae} and {@code --kv}: what the nodes' stores run besides the handoff, and store
 * settings for experiments. Set by picocli while parsing, then read on the command's thread.
 */
final class StoreOptions {
  @Option(
      names = "--aae",
      description =
          "Anti-entropy as a second background load: trees of the seeded data built before the"
              + " idle phase, exchanges every "
              + StoreSettings.AAE_EXCHANGE_INTERVAL_MS
              + " ms (anti_entropy.exchange_interval_ms) during both phases.")
  boolean aae;

  @Option(
      names = "--kv",
      paramLabel = "NAME=VALUE",
      description =
          "A store setting for every node, as in a node's properties file (kv.*, handoff.*,"
              + " anti_entropy.*; `partisan-kv settings` lists them); repeatable.")
  Map<String, String> kv = new LinkedHashMap<>();

  /** The checked settings (a bad key or value fails here, before anything runs). */
  StoreSettings settings() {
    return StoreSettings.of(aae, kv);
  }
}
