package dev.partisan.bench.handoff;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --aae}, {@code --kv} and {@code --runtime}: what the nodes run besides the handoff, and
 * store and runtime settings for experiments. Set by picocli while parsing, then read on the
 * command's thread.
 */
final class NodeOptions {
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

  @Option(
      names = "--runtime",
      paramLabel = "NAME=VALUE",
      description =
          "A runtime setting for every node, as in a node's properties file (e.g."
              + " overlay.active_view=2 with overlay.active_view_min=1; `partisan-kv settings`"
              + " lists them); repeatable.")
  Map<String, String> runtime = new LinkedHashMap<>();

  /** The checked store settings (a bad key or value fails here, before anything runs). */
  StoreSettings store() {
    return StoreSettings.of(aae, kv);
  }

  /** The checked runtime settings (a bad key or value fails here, before anything runs). */
  RuntimeOverrides runtime() {
    return RuntimeOverrides.of(runtime);
  }
}
