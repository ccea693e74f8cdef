package dev.partisan.http.config;

import dev.partisan.kv.BucketProps;
import dev.partisan.kv.DeleteMode;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.backend.BackendFactory;
import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.pb.PbSettings;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.RuntimeSettings;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A node's settings, merged from (lowest to highest precedence) the defaults, a properties file,
 * {@code PARTISAN_*} environment variables and command-line flags. Node keys ({@code node.*},
 * {@code http.*}, {@code pb.*}, {@code kv.*}) are parsed here; every other key is the runtime's and
 * goes through {@link RuntimeSettings}, so the overlay and the channels are plain settings like any
 * other.
 *
 * <p>Immutable. Every accessor validates its value and throws {@link IllegalArgumentException}
 * naming the key, so a typo or a bad value stops the node at start with a clear message.
 */
public final class NodeConfig {
  private static final String ENV_PREFIX = "PARTISAN_";
  private static final int DEFAULT_CLUSTER_PORT = 9000;
  private static final java.util.Set<String> COMPUTED_DEFAULTS =
      java.util.Set.of("node.name", "kv.data_dir");

  private final Map<String, String> values;

  private NodeConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static NodeConfig of(Map<String, String> values) {
    NodeConfig c = new NodeConfig(values);
    c.validate();
    return c;
  }

  /** Merges the sources, later ones winning, and validates the result. */
  public static NodeConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> merged = new TreeMap<>();
    if (file != null) {
      merged.putAll(readFile(file));
    }
    merged.putAll(fromEnvironment(env));
    merged.putAll(flags);
    return of(merged);
  }

  /** Reads a properties file (UTF-8); a missing or unreadable file is an error. */
  public static Map<String, String> readFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file not found: " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      out.put(k.trim(), p.getProperty(k).trim());
    }
    return out;
  }

  /**
   * The settings among environment variables: {@code PARTISAN_HTTP_PORT} is {@code http.port},
   * {@code PARTISAN_KV_RING_SIZE} is {@code kv.ring_size}; other {@code PARTISAN_*} variables are
   * mapped by {@link RuntimeSettings#fromEnvironment} ({@code PARTISAN_OVERLAY} is {@code
   * overlay}).
   */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> runtimeEnv = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String rest = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
      String group =
          SettingsCatalog.NODE_GROUPS.stream()
              .map(g -> g.substring(0, g.length() - 1))
              .filter(g -> rest.startsWith(g + "_"))
              .findFirst()
              .orElse(null);
      if (group != null) {
        out.put(group + "." + rest.substring(group.length() + 1), e.getValue());
      } else {
        runtimeEnv.put(e.getKey(), e.getValue());
      }
    }
    out.putAll(RuntimeSettings.fromEnvironment(runtimeEnv));
    return out;
  }

  // ------------------------------------------------------------------ node

  public String clusterHost() {
    return values.getOrDefault("host", "127.0.0.1").trim();
  }

  public int clusterPort() {
    return values.containsKey("port") ? parseInt("port", values.get("port")) : DEFAULT_CLUSTER_PORT;
  }

  public String nodeName() {
    String name = get("node.name");
    if (name.isEmpty()) {
      return "kv@" + clusterHost() + ":" + clusterPort();
    }
    return name;
  }

  /** Seeds to join at start ({@code host:port} of cluster ports). */
  public List<HostPort> joinSeeds() {
    List<HostPort> out = new ArrayList<>();
    for (String s : get("node.join").split(",")) {
      if (!s.isBlank()) {
        out.add(HostPort.parse("node.join", s.trim()));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ runtime

  /**
   * The runtime configuration: name, the cluster listen address (default port 9000 rather than the
   * runtime's "any free port", since peers must find a node where they left it), the cluster secret
   * ({@link #clusterSecretSource()}: this reads its file, and on a node's first start without a
   * secret creates it), every other runtime setting given, and TLS between nodes when {@code
   * tls.cluster} is true (its files read and checked here).
   */
  public RuntimeConfig.Builder runtimeBuilder() {
    return runtimeBuilderWithoutSecret()
        .clusterSecret(clusterSecretSource().load())
        .transportTls(ClusterTlsSettings.load(this).orElse(null));
  }

  /** Where the cluster secret comes from (see {@link ClusterSecretSource}); reads no file. */
  public ClusterSecretSource clusterSecretSource() {
    return ClusterSecretSource.of(values, dataDir());
  }

  /**
   * The runtime's settings with the builder's own (random) secret and no TLS (whose files are only
   * read when the node starts): for validation.
   */
  private RuntimeConfig.Builder runtimeBuilderWithoutSecret() {
    Map<String, String> runtime = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (!SettingsCatalog.isNodeKey(key) && !ClusterSecretSource.KEYS.contains(key)) {
        runtime.put(key, e.getValue());
      }
    }
    runtime.putIfAbsent("port", Integer.toString(DEFAULT_CLUSTER_PORT));
    return RuntimeSettings.apply(RuntimeConfig.builder(nodeName()), runtime);
  }

  // ------------------------------------------------------------------ kv

  /** The storage backend ({@code kv.backend}), one of {@link BackendRegistry#all()}. */
  public BackendFactory backend() {
    try {
      return BackendRegistry.named(get("kv.backend"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting 'kv.backend': " + e.getMessage());
    }
  }

  /** True when the backend keeps no data folder (kv.data_dir is then unused). */
  public boolean inMemory() {
    return !backend().needsDataDir();
  }

  public Path dataDir() {
    String d = get("kv.data_dir");
    if (d.isEmpty()) {
      return Path.of("data", nodeName().replaceAll("[^A-Za-z0-9._-]", "_"));
    }
    return Path.of(d);
  }

  public KvConfig kvConfig() {
    BucketProps defaults =
        new BucketProps(
            intValue("kv.n_val"),
            bool("kv.allow_mult"),
            bool("kv.last_write_wins"),
            quorum("kv.r"),
            quorum("kv.w"),
            quorum("kv.pr"),
            quorum("kv.pw"),
            quorum("kv.dw"),
            null);
    try {
      return KvConfig.builder()
          .backend(backend().name())
          .dataDir(inMemory() ? null : dataDir())
          .syncWrites(bool("kv.sync_writes"))
          .rocksDbRateLimitMbPerSecond(intValue("kv.rocksdb_rate_limit_mb_per_s"))
          .ringSize(intValue("kv.ring_size"))
          .targetNVal(intValue("kv.target_n_val"))
          .bucketDefaults(defaults)
          .maxValueBytes(longValue("kv.max_value_bytes"))
          .defaultTimeout(Duration.ofMillis(positiveLong("kv.timeout_ms")))
          .deleteMode(DeleteMode.parse(get("kv.delete_mode")))
          .vnodeMailboxCapacity(intValue("kv.vnode_mailbox_capacity"))
          .vnodeBulkThreads(intValue("kv.vnode_bulk_threads"))
          .requestParallelism(intValue("kv.request_parallelism"))
          .ringTickInterval(Duration.ofMillis(positiveLong("kv.ring_tick_ms")))
          .handoffConcurrency(intValue("handoff.concurrency"))
          .handoffBatch(intValue("handoff.batch_objects"), longValue("handoff.batch_bytes"))
          .handoffAckTimeout(Duration.ofMillis(positiveLong("handoff.ack_timeout_ms")))
          .handoffInterval(Duration.ofMillis(positiveLong("handoff.interval_ms")))
          .handoffForwardingGrace(Duration.ofMillis(longValue("handoff.forwarding_grace_ms")))
          .handoffMaxBytesPerSecond(longValue("handoff.max_bytes_per_second"))
          .handoffWritePath(handoffWritePath())
          .aaeEnabled(bool("anti_entropy.enabled"))
          .aaeSegments(intValue("anti_entropy.segments"))
          .aaeExchangeInterval(Duration.ofMillis(positiveLong("anti_entropy.exchange_interval_ms")))
          .aaeConcurrency(intValue("anti_entropy.concurrency"))
          .aaeRepairsPerSecond(intValue("anti_entropy.repairs_per_second"))
          .aaeRebuildInterval(Duration.ofMillis(positiveLong("anti_entropy.rebuild_interval_ms")))
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid kv settings: " + e.getMessage(), e);
    }
  }

  private BulkWriteMode handoffWritePath() {
    try {
      return BulkWriteMode.parse(get("handoff.write_path"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting 'handoff.write_path': " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ listeners

  /** The HTTP listeners' settings (see {@link ListenerSettings}). */
  public HttpSettings http() {
    return ListenerSettings.http(this);
  }

  /** Whether the node serves the PB API ({@code pb.enabled}). */
  public boolean pbEnabled() {
    return bool("pb.enabled");
  }

  /** The web console's settings (docs/console.md). */
  public ConsoleSettings console() {
    return new ConsoleSettings(
        bool("console.enabled"),
        Duration.ofMillis(positiveLong("console.interval_ms")),
        intValue("console.max_streams"));
  }

  /** The PB listener's settings (see {@link ListenerSettings}). */
  public PbSettings pb() {
    return ListenerSettings.pb(this);
  }

  // ------------------------------------------------------------------ tls

  /**
   * The node's TLS files ({@code tls.certfile}, {@code tls.keyfile}, {@code tls.cacertfile}), or
   * empty when neither certificate nor key is set. One without the other is an error.
   */
  public Optional<TlsSettings> tlsFiles() {
    String cert = get("tls.certfile");
    String key = get("tls.keyfile");
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(
          "settings 'tls.certfile' and 'tls.keyfile' go together: set both or neither");
    }
    String ca = get("tls.cacertfile");
    return Optional.of(
        new TlsSettings(Path.of(cert), Path.of(key), ca.isEmpty() ? null : Path.of(ca)));
  }

  /**
   * The node's TLS material, loaded and checked once per call (callers keep it), or empty without
   * {@link #tlsFiles()}.
   *
   * @throws dev.partisan.runtime.tls.TlsConfigException naming the file that cannot be used
   */
  public Optional<TlsMaterial> tlsMaterial() {
    return tlsFiles().map(TlsMaterial::load);
  }

  // ------------------------------------------------------------------ parsing

  /** The value of a node key, or its default. */
  public String get(String key) {
    Setting s =
        SettingsCatalog.node(key)
            .orElseThrow(() -> new IllegalArgumentException("unknown setting '" + key + "'"));
    String v = values.get(key);
    if (v != null) {
      return v.trim();
    }
    // Defaults computed from other settings (the node name, the data folder) read as empty.
    return COMPUTED_DEFAULTS.contains(key) ? "" : s.defaultValue();
  }

  private void validate() {
    for (String key : values.keySet()) {
      if (SettingsCatalog.isNodeKey(key) && SettingsCatalog.node(key).isEmpty()) {
        throw new IllegalArgumentException(
            "unknown setting '" + key + "' (see docs/configuration.md or `partisan-kv settings`)");
      }
    }
    // Build everything once so that a bad value fails at start, not at first use.
    runtimeBuilderWithoutSecret().build();
    clusterSecretSource().check();
    kvConfig();
    http();
    console();
    pbEnabled();
    pb();
    tlsFiles();
    ClusterTlsSettings.check(this);
    joinSeeds();
  }

  int intValue(String key) {
    return parseInt(key, get(key));
  }

  static int parseInt(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' needs a number, got '" + v + "'");
    }
  }

  long longValue(String key) {
    String v = get(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' needs a number, got '" + v + "'");
    }
  }

  long positiveLong(String key) {
    long v = longValue(key);
    if (v <= 0) {
      throw new IllegalArgumentException("setting '" + key + "' must be > 0, got " + v);
    }
    return v;
  }

  boolean bool(String key) {
    String v = get(key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "setting '" + key + "' must be true or false, got '" + v + "'");
    };
  }

  private Quorum quorum(String key) {
    try {
      return Quorum.parse(get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting '" + key + "': " + e.getMessage());
    }
  }

  /** A {@code host:port} pair. */
  public record HostPort(String host, int port) {
    public static HostPort parse(String what, String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException(what + ": expected host:port, got '" + s + "'");
      }
      int port = parseInt(what, s.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(what + ": port out of range in '" + s + "'");
      }
      return new HostPort(s.substring(0, colon), port);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  @Override
  public String toString() {
    return "NodeConfig" + Arrays.toString(values.keySet().toArray());
  }
}
