package dev.partisan.bench.handoff;

import dev.partisan.http.config.SettingsCatalog;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.RuntimeSettings;
import java.util.Map;

/**
 * The user's runtime settings for every node ({@code --runtime NAME=VALUE}), by the names of the
 * node's settings catalog (for example {@code overlay.active_view=2} with {@code
 * overlay.active_view_min=1}: a HyParView active view smaller than the cluster, so that requests
 * can take extra hops), applied by the runtime's own parser ({@link RuntimeSettings}) on top of
 * what the bench sets. Immutable.
 */
record RuntimeOverrides(Map<String, String> settings) {
  /** Runtime settings the bench sets itself, and the option (or reason) that decides them. */
  private static final Map<String, String> OWNED_BY_BENCH =
      Map.of(
          "host", "the nodes listen on loopback",
          "port", "the nodes take free ports",
          "cluster.name", "the nodes form one cluster",
          "cluster.secret", "the nodes form one cluster",
          "overlay", "use --overlay (bench overlays: --overlays)",
          "overlay.role", "the joining node is the client-server client, the others servers",
          "baseline", "the mode decides it");

  RuntimeOverrides {
    settings = Map.copyOf(settings);
  }

  static RuntimeOverrides none() {
    return new RuntimeOverrides(Map.of());
  }

  /**
   * The settings of {@code --runtime}, checked now so that a typo or a bad value stops the command
   * before anything is seeded: each key must be a runtime setting the bench does not set itself.
   */
  static RuntimeOverrides of(Map<String, String> settings) {
    for (String key : settings.keySet()) {
      String reason = OWNED_BY_BENCH.get(key);
      if (reason == null && key.startsWith("channel.")) {
        reason = "the mode declares the channels";
      }
      if (reason != null) {
        throw new IllegalArgumentException("--runtime " + key + " is set by the bench: " + reason);
      }
      if (SettingsCatalog.isNodeKey(key)) {
        throw new IllegalArgumentException("--runtime " + key + ": a store setting, use --kv");
      }
    }
    RuntimeOverrides r = new RuntimeOverrides(settings);
    r.apply(RuntimeConfig.builder("check")).build();
    return r;
  }

  /** Applies the settings to a node's builder, after the bench's own choices. */
  RuntimeConfig.Builder apply(RuntimeConfig.Builder b) {
    return settings.isEmpty() ? b : RuntimeSettings.apply(b, settings);
  }

  /**
   * Threads of the bulk event loop group the nodes share in the modes with classes: {@code
   * bulk_event_loop_threads} if given, else a node's default.
   */
  int bulkEventLoopThreads() {
    return apply(RuntimeConfig.builder("bulk")).build().executors().bulkEventLoopThreads();
  }

  /** For summaries: {@code none}, or the settings as {@code k=v, k=v}. */
  String describe() {
    return StoreSettings.describe(settings);
  }
}
