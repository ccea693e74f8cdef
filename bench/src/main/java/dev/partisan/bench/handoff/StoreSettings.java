package dev.partisan.bench.handoff;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.http.config.SettingsCatalog;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.backend.BackendRegistry;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store settings every node of a run gets, as the node's own settings catalog names them
 * ({@code kv.*}, {@code handoff.*}, {@code anti_entropy.*}; {@code partisan-kv settings} lists
 * them): the bench's own choices, then the user's {@code --kv NAME=VALUE} on top. The {@link
 * KvConfig} is built by the node's parser ({@link NodeConfig#kvConfig()}), so a value means here
 * what it means in a node's properties file.
 *
 * @param aae anti-entropy runs as a second background load: trees kept and exchanged every {@link
 *     #AAE_EXCHANGE_INTERVAL_MS} ms unless {@code --kv} says otherwise
 * @param overrides the user's settings, checked by {@link #of}
 */
record StoreSettings(boolean aae, Map<String, String> overrides) {
  /** Exchange period with --aae: several exchange rounds in a 10 s phase. */
  static final String AAE_EXCHANGE_INTERVAL_MS = "2000";

  /** Settings the bench sets itself, and the option (or reason) that decides them instead. */
  private static final Map<String, String> OWNED_BY_BENCH =
      Map.of(
          "kv.backend", "the bench seeds RocksDB stores",
          "kv.data_dir", "use --data-dir",
          "kv.ring_size", "use --ring-size",
          "kv.request_parallelism", "the mode decides it (--parallelism for affinity lanes)",
          "handoff.concurrency",
              "handoff is paused until the handoff phase (bench handoff:" + " --concurrency)",
          "handoff.max_bytes_per_second",
              "set at the handoff phase (bench handoff:" + " --handoff-rate-mb)",
          "anti_entropy.enabled", "use --aae");

  StoreSettings {
    overrides = Map.copyOf(overrides);
  }

  /**
   * The settings of {@code --aae} and {@code --kv}, checked now so a typo or a bad value stops the
   * command before anything is seeded: each key must be a store setting the bench does not set
   * itself, and the whole must make a valid configuration.
   */
  static StoreSettings of(boolean aae, Map<String, String> overrides) {
    for (String key : overrides.keySet()) {
      String reason = OWNED_BY_BENCH.get(key);
      if (reason != null) {
        throw new IllegalArgumentException("--kv " + key + " is set by the bench: " + reason);
      }
      if (!SettingsCatalog.isNodeKey(key) || key.startsWith("node.") || key.startsWith("http.")) {
        throw new IllegalArgumentException(
            "--kv "
                + key
                + ": not a store setting (kv.*, handoff.*, anti_entropy.*; see `partisan-kv"
                + " settings`)");
      }
    }
    StoreSettings s = new StoreSettings(aae, overrides);
    s.kvConfig(Path.of("check"), 64, 1);
    return s;
  }

  /** No anti-entropy, nothing overridden: the bench's defaults. */
  static StoreSettings defaults() {
    return new StoreSettings(false, Map.of());
  }

  /**
   * A node's configuration: its store under {@code dataDir}, {@code ringSize} partitions, {@code
   * requestParallelism} request lanes, 10 s request timeout, the ring ticking every 500 ms, handoff
   * looked for every second but paused (concurrency 0) until the handoff phase, and anti-entropy as
   * {@link #aae} says; then the user's overrides.
   */
  KvConfig kvConfig(Path dataDir, int ringSize, int requestParallelism) {
    Map<String, String> s = new TreeMap<>();
    s.put("kv.backend", BackendRegistry.ROCKSDB);
    s.put("kv.data_dir", dataDir.toString());
    s.put("kv.ring_size", Integer.toString(ringSize));
    s.put("kv.request_parallelism", Integer.toString(requestParallelism));
    s.put("kv.timeout_ms", "10000");
    s.put("kv.ring_tick_ms", "500");
    s.put("handoff.interval_ms", "1000");
    s.put("handoff.concurrency", "0");
    // Off unless asked for: tree builds over the seeded volume compete for the cores with what is
    // measured, and anti-entropy is then a load of its own.
    s.put("anti_entropy.enabled", Boolean.toString(aae));
    if (aae) {
      s.put("anti_entropy.exchange_interval_ms", AAE_EXCHANGE_INTERVAL_MS);
    }
    s.putAll(overrides);
    return NodeConfig.of(s).kvConfig();
  }

  /** For summaries: off, or how often and how many exchanges run. */
  String describeAae() {
    if (!aae) {
      return "off";
    }
    KvConfig.AntiEntropy a = kvConfig(Path.of("describe"), 64, 1).antiEntropy();
    return String.format(
        Locale.ROOT,
        "on as a second background load: exchanges every %.1f s, %d at once per node; the trees"
            + " of the seeded data built before the idle phase",
        a.exchangeInterval().toMillis() / 1000.0,
        a.concurrency());
  }

  /** For summaries: {@code none}, or the overrides as {@code k=v, k=v}. */
  String describeOverrides() {
    return describe(overrides);
  }

  /** {@code none}, or {@code settings} as {@code k=v, k=v} by key. */
  static String describe(Map<String, String> settings) {
    return settings.isEmpty() ? "none" : new TreeMap<>(settings).toString().replaceAll("[{}]", "");
  }
}
