package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.http.config.ClusterSecretSource;
import dev.partisan.http.config.NodeConfig;
import dev.partisan.http.config.Setting;
import dev.partisan.http.config.SettingsCatalog;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.OverlaySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsDescribeALocalNode() {
    NodeConfig c = NodeConfig.of(Map.of());
    assertThat(c.nodeName()).isEqualTo("kv@127.0.0.1:9000");
    assertThat(c.http().port()).isEqualTo(8098);
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.dataDir()).isEqualTo(Path.of("data", "kv_127.0.0.1_9000"));
    // No shared default secret: one is generated in the data folder on first start.
    assertThat(c.clusterSecretSource())
        .isEqualTo(
            new ClusterSecretSource.Generated(
                Path.of("data", "kv_127.0.0.1_9000", "cluster.secret")));
    RuntimeConfig rt = NodeConfig.of(Map.of("cluster.secret", "s")).runtimeBuilder().build();
    assertThat(rt.port()).isEqualTo(9000);
    assertThat(rt.overlay().kind()).isEqualTo("full-mesh");
    assertThat(c.kvConfig().ringSize()).isEqualTo(64);
    assertThat(c.kvConfig().backend()).isEqualTo("rocksdb");
    assertThat(c.kvConfig().dataDir()).isEqualTo(c.dataDir());
    assertThat(c.kvConfig().bucketDefaults().nVal()).isEqualTo(3);
    // 0: one bulk thread per two cores, at least one.
    assertThat(c.kvConfig().vnodeBulkThreads()).isZero();
    assertThat(c.kvConfig().bulkThreads())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(c.joinSeeds()).isEmpty();
  }

  @Test
  void consoleSettingsHaveDefaultsAndBounds() {
    assertThat(NodeConfig.of(Map.of()).console())
        .isEqualTo(
            new dev.partisan.http.config.ConsoleSettings(
                true, java.time.Duration.ofSeconds(1), 16));
    var c =
        NodeConfig.of(
                Map.of(
                    "console.enabled", "false",
                    "console.interval_ms", "250",
                    "console.max_streams", "3"))
            .console();
    assertThat(c.enabled()).isFalse();
    assertThat(c.interval().toMillis()).isEqualTo(250);
    assertThat(c.maxStreams()).isEqualTo(3);
    assertThat(NodeConfig.fromEnvironment(Map.of("PARTISAN_CONSOLE_INTERVAL_MS", "500")))
        .containsEntry("console.interval_ms", "500");
    for (var bad :
        List.of(
            Map.of("console.interval_ms", "199"),
            Map.of("console.interval_ms", "60001"),
            Map.of("console.max_streams", "0"),
            Map.of("console.enabled", "maybe"),
            Map.of("console.colour", "blue"))) {
      assertThatThrownBy(() -> NodeConfig.of(bad))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("console.");
    }
  }

  @Test
  void fileThenEnvironmentThenFlagsWin() throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(
        file,
        "node.name=from-file\nhttp.port=8001\nkv.ring_size=128\noverlay=hyparview\n"
            + "channel.request.parallelism=8\n");
    Map<String, String> env =
        Map.of(
            "PARTISAN_HTTP_PORT", "8002",
            "PARTISAN_KV_N_VAL", "5",
            "PARTISAN_OVERLAY", "client-server",
            "PARTISAN_OVERLAY_ROLE", "client",
            "PARTISAN_CLUSTER_SECRET", "from-env",
            "PATH", "/usr/bin");
    NodeConfig c = NodeConfig.load(file, env, Map.of("http.port", "8003", "node.join", "a:1, b:2"));
    assertThat(c.nodeName()).isEqualTo("from-file");
    assertThat(c.http().port()).isEqualTo(8003);
    assertThat(c.kvConfig().ringSize()).isEqualTo(128);
    assertThat(c.kvConfig().bucketDefaults().nVal()).isEqualTo(5);
    RuntimeConfig rt = c.runtimeBuilder().build();
    assertThat(rt.overlay().kind()).isEqualTo("client-server");
    assertThat(((OverlaySettings.ClientServer) rt.overlay()).role()).isEqualTo("client");
    assertThat(rt.channels().get("request").parallelism()).isEqualTo(8);
    assertThat(rt.clusterSecret()).asString().isEqualTo("from-env");
    assertThat(c.joinSeeds()).extracting(Object::toString).containsExactly("a:1", "b:2");
  }

  @Test
  void kvSettingsReachTheStore() {
    NodeConfig c =
        NodeConfig.of(
            Map.of(
                "kv.backend", "memory",
                "kv.r", "one",
                "kv.pw", "2",
                "kv.allow_mult", "false",
                "kv.timeout_ms", "1500",
                "kv.delete_mode", "keep",
                "kv.vnode_bulk_threads", "3"));
    assertThat(c.kvConfig().dataDir()).isNull();
    assertThat(c.kvConfig().bulkThreads()).isEqualTo(3);
    assertThat(c.kvConfig().backend()).isEqualTo("memory");
    assertThat(c.kvConfig().bucketDefaults().r()).isEqualTo(Quorum.ONE);
    assertThat(c.kvConfig().bucketDefaults().pw()).isEqualTo(Quorum.of(2));
    assertThat(c.kvConfig().bucketDefaults().allowMult()).isFalse();
    assertThat(c.kvConfig().defaultTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.kvConfig().deleteMode().keep()).isTrue();
  }

  @Test
  void mistakesAreRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> NodeConfig.of(Map.of("kv.ring_sise", "64")))
        .hasMessageContaining("kv.ring_sise");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("overlays", "x")))
        .hasMessageContaining("overlays");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("http.port", "eighty")))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("kv.ring_size", "100")))
        .hasMessageContaining("kv");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("overlay", "ring"))).hasMessageContaining("ring");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("kv.backend", "leveldb")))
        .hasMessageContaining("kv.backend")
        .hasMessageContaining("known backends are rocksdb, memory");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("node.join", "nohost")))
        .hasMessageContaining("node.join");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("kv.w", "most"))).hasMessageContaining("kv.w");
    assertThatThrownBy(() -> NodeConfig.load(dir.resolve("missing"), Map.of(), Map.of()))
        .hasMessageContaining("not found");
  }

  @Test
  void everyNodeSettingHasADocumentedDefaultThatParses() {
    for (Setting s : SettingsCatalog.NODE) {
      assertThat(s.description()).isNotBlank();
      assertThat(s.environmentVariable()).startsWith("PARTISAN_");
      // The environment variable maps back to the key.
      assertThat(NodeConfig.fromEnvironment(Map.of(s.environmentVariable(), "x")))
          .containsKey(s.key());
    }
    for (Setting s : SettingsCatalog.RUNTIME) {
      if (!s.key().contains("NAME")) {
        assertThat(NodeConfig.fromEnvironment(Map.of(s.environmentVariable(), "x")))
            .as(s.key())
            .containsKey(s.key());
      }
    }
  }

  @Test
  void handoffAndAntiEntropySettingsReachTheStore() {
    NodeConfig c =
        NodeConfig.load(
            null,
            Map.of(
                "PARTISAN_HANDOFF_CONCURRENCY", "5",
                "PARTISAN_ANTI_ENTROPY_EXCHANGE_INTERVAL_MS", "2500"),
            Map.of("handoff.batch_objects", "50", "anti_entropy.enabled", "false"));
    KvConfig kv = c.kvConfig();
    assertThat(kv.handoff().concurrency()).isEqualTo(5);
    assertThat(kv.handoff().batchObjects()).isEqualTo(50);
    assertThat(kv.antiEntropy().exchangeInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(kv.antiEntropy().enabled()).isFalse();
    // Defaults are the store's own.
    KvConfig defaults = NodeConfig.of(Map.of()).kvConfig();
    assertThat(defaults.handoff()).isEqualTo(KvConfig.builder().build().handoff());
    assertThat(defaults.antiEntropy()).isEqualTo(KvConfig.builder().build().antiEntropy());
    assertThatThrownBy(() -> NodeConfig.of(Map.of("anti_entropy.segments", "1000")).kvConfig())
        .hasMessageContaining("segments");
  }

  @Test
  void storageSettingsReachTheStore() {
    NodeConfig c =
        NodeConfig.of(
            Map.of("handoff.write_path", "wal_off", "kv.rocksdb_rate_limit_mb_per_s", "32"));
    assertThat(c.kvConfig().handoff().writePath()).isEqualTo(BulkWriteMode.WAL_OFF);
    assertThat(c.kvConfig().backendOptions().backgroundWriteBytesPerSecond()).isEqualTo(32L << 20);
    KvConfig defaults = NodeConfig.of(Map.of()).kvConfig();
    assertThat(defaults.handoff().writePath()).isEqualTo(BulkWriteMode.INGEST);
    assertThat(defaults.backendOptions().backgroundWriteBytesPerSecond()).isZero();
    assertThatThrownBy(() -> NodeConfig.of(Map.of("handoff.write_path", "fast")).kvConfig())
        .hasMessageContaining("handoff.write_path")
        .hasMessageContaining("'fast'")
        .hasMessageContaining("wal, wal_off, ingest");
    assertThatThrownBy(
            () -> NodeConfig.of(Map.of("kv.rocksdb_rate_limit_mb_per_s", "-1")).kvConfig())
        .hasMessageContaining("rocksDbRateLimitMbPerSecond");
  }

  // ------------------------------------------------------------------ cluster secret

  private NodeConfig node(String... keyValues) {
    Map<String, String> m = new java.util.TreeMap<>();
    m.put("kv.data_dir", dir.resolve("data").toString());
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return NodeConfig.of(m);
  }

  private static String secretOf(NodeConfig c) {
    return new String(c.runtimeBuilder().build().clusterSecret(), StandardCharsets.UTF_8);
  }

  @Test
  void aNodeWithoutASecretGeneratesOneInItsDataFolderAndReusesIt() throws Exception {
    Path file = dir.resolve("data").resolve("cluster.secret");
    assertThat(file).doesNotExist();
    String first = secretOf(node());
    assertThat(first).matches("[A-Za-z0-9_-]{43}");
    assertThat(Files.readString(file)).isEqualTo(first + "\n");
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertThat(secretOf(node())).as("a restart reuses it").isEqualTo(first);
    // Nothing but the secret file is left in the folder (no temporary file).
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
    // Another node (another data folder) gets another secret.
    assertThat(secretOf(node("kv.data_dir", dir.resolve("other").toString()))).isNotEqualTo(first);
  }

  @Test
  void nodesStartingTogetherOnOneGeneratedFileAgreeOnOneSecret() throws Exception {
    // As docker-compose.yml runs them: an empty PARTISAN_CLUSTER_SECRET and one shared file.
    Map<String, String> env =
        Map.of(
            "PARTISAN_CLUSTER_SECRET",
            "",
            "PARTISAN_CLUSTER_GENERATED_SECRET_FILE",
            dir.resolve("secrets").resolve("cluster.secret").toString());
    int nodes = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<String>> secrets = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        Map<String, String> flags = Map.of("kv.data_dir", dir.resolve("n" + i).toString());
        NodeConfig c = NodeConfig.load(null, env, flags);
        secrets.add(
            pool.submit(
                () -> {
                  go.await();
                  return secretOf(c);
                }));
      }
      go.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : secrets) {
        distinct.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    try (var listing = Files.list(dir.resolve("secrets"))) {
      assertThat(listing).containsExactly(dir.resolve("secrets").resolve("cluster.secret"));
    }
  }

  @Test
  void nodesNamingOneGeneratedFileShareOneSecret() {
    String shared = dir.resolve("shared").resolve("cluster.secret").toString();
    String a =
        secretOf(
            node(
                "kv.data_dir",
                dir.resolve("a").toString(),
                "cluster.generated_secret_file",
                shared));
    String b =
        secretOf(
            node(
                "kv.data_dir",
                dir.resolve("b").toString(),
                "cluster.generated_secret_file",
                shared));
    assertThat(a).isEqualTo(b);
    assertThat(dir.resolve("a").resolve("cluster.secret")).doesNotExist();
  }

  @Test
  void theSecretFileIsReadWithoutItsTrailingNewline() throws Exception {
    Path file = dir.resolve("secret.txt");
    Files.writeString(file, "s3cret-from-file\n");
    NodeConfig c = node("cluster.secret_file", file.toString());
    assertThat(c.clusterSecretSource()).isEqualTo(new ClusterSecretSource.FromFile(file));
    assertThat(secretOf(c)).isEqualTo("s3cret-from-file");
    assertThat(dir.resolve("data").resolve("cluster.secret")).doesNotExist();
    // The environment variable maps as every other runtime setting does.
    assertThat(
            NodeConfig.fromEnvironment(
                Map.of(
                    "PARTISAN_CLUSTER_SECRET_FILE", "/run/s",
                    "PARTISAN_CLUSTER_GENERATED_SECRET_FILE", "/v/s")))
        .containsEntry("cluster.secret_file", "/run/s")
        .containsEntry("cluster.generated_secret_file", "/v/s");
  }

  @Test
  void anExplicitSecretWinsAndAnEmptyOneCountsAsUnset() {
    assertThat(secretOf(node("cluster.secret", "given"))).isEqualTo("given");
    assertThat(node("cluster.secret", " ").clusterSecretSource())
        .isInstanceOf(ClusterSecretSource.Generated.class);
    assertThat(node("cluster.secret", "given").clusterSecretSource().toString())
        .doesNotContain("given");
  }

  @Test
  void badSecretSettingsAreClearStartErrorsThatNeverShowTheSecret() throws Exception {
    Path file = dir.resolve("secret.txt");
    Files.writeString(file, "top-secret\n");
    assertThatThrownBy(
            () -> node("cluster.secret", "top-secret", "cluster.secret_file", file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster.secret")
        .hasMessageContaining("cluster.secret_file")
        .hasMessageContaining("not both")
        .hasMessageNotContaining("top-secret");

    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, " \n");
    assertThatThrownBy(() -> node("cluster.secret_file", empty.toString()))
        .hasMessageContaining("cluster.secret_file")
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty");

    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> node("cluster.secret_file", missing.toString()))
        .hasMessageContaining("cluster.secret_file")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");

    // A folder where the file should be: unreadable.
    assertThatThrownBy(() -> node("cluster.secret_file", dir.toString()))
        .hasMessageContaining("cluster.secret_file")
        .hasMessageContaining("cannot read");

    // A generated file that cannot be created (its folder is a file) fails at start, naming it.
    NodeConfig blocked =
        node("cluster.generated_secret_file", file.resolve("cluster.secret").toString());
    assertThatThrownBy(blocked::runtimeBuilder)
        .hasMessageContaining("cluster.generated_secret_file")
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("top-secret");
  }
}
