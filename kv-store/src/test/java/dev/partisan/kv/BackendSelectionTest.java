package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.kv.backend.MemoryBackend;
import dev.partisan.kv.backend.RocksDbBackend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code kv.backend}: a node runs on every registered backend, chosen by name. */
class BackendSelectionTest {
  @TempDir Path dir;

  static List<String> backends() {
    return BackendRegistry.names();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aNodeStartsAndServesOnEachBackend(String name) {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b.backend(name))) {
      KvNode node = cluster.node(1);
      assertThat(node.config().backend()).isEqualTo(name);
      RequestOptions one = RequestOptions.defaults().nVal(1);
      BKey key = BKey.of("backend", name);
      node.client().put(key, Content.text("on " + name), CausalContext.EMPTY, one).join();
      assertThat(node.client().get(key, one).join().value().valueAsString())
          .isEqualTo("on " + name);
    }
  }

  @Test
  void theNameChoosesTheImplementation() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b.backend("memory"))) {
      assertThat(cluster.node(1).backend()).isInstanceOf(MemoryBackend.class);
    }
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b.backend("rocksdb"))) {
      assertThat(cluster.node(1).backend()).isInstanceOf(RocksDbBackend.class);
    }
  }

  @Test
  void withoutANameTheDataFolderDecides() {
    assertThat(KvConfig.builder().build().backend()).isEqualTo("memory");
    assertThat(KvConfig.builder().dataDir(dir).build().backend()).isEqualTo("rocksdb");
    assertThat(KvConfig.builder().dataDir(dir).backend("memory").build().backend())
        .isEqualTo("memory");
  }

  @Test
  void rocksDbWithoutADataFolderIsAConfigurationError() {
    assertThatThrownBy(() -> KvConfig.builder().backend("rocksdb").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rocksdb backend needs a data folder");
  }

  @Test
  void anUnknownBackendIsAClearError() {
    assertThatThrownBy(() -> KvConfig.builder().dataDir(dir).backend("leveldb").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown kv backend 'leveldb'")
        .hasMessageContaining("rocksdb, memory");
  }
}
