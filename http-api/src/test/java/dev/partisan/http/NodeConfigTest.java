package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.http.config.Setting;
import dev.partisan.http.config.SettingsCatalog;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.OverlaySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
    RuntimeConfig rt = c.runtimeBuilder().build();
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
}
