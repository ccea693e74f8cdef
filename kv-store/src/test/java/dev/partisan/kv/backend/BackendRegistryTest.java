package dev.partisan.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendRegistryTest {
  @TempDir Path dir;

  @Test
  void listsRocksDbAndMemory() {
    assertThat(BackendRegistry.names()).containsExactly("rocksdb", "memory");
    assertThat(BackendRegistry.named("rocksdb").needsDataDir()).isTrue();
    assertThat(BackendRegistry.named("memory").needsDataDir()).isFalse();
    assertThat(BackendRegistry.describeChoices())
        .isEqualTo("rocksdb (embedded, durable) or memory (lost at exit; tests and demos)");
  }

  @Test
  void eachFactoryOpensItsBackend() {
    try (Backend b = BackendRegistry.named("memory").open(null, BackendOptions.DEFAULTS)) {
      assertThat(b).isInstanceOf(MemoryBackend.class);
    }
    try (Backend b =
        BackendRegistry.named("rocksdb").open(dir, new BackendOptions(false, 8L << 20))) {
      assertThat(b).isInstanceOf(RocksDbBackend.class);
      b.put(1, new byte[] {1}, new byte[] {2});
      assertThat(b.get(1, new byte[] {1})).containsExactly(2);
    }
  }

  @Test
  void anUnknownNameIsAClearError() {
    assertThatThrownBy(() -> BackendRegistry.named("leveldb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown kv backend 'leveldb': known backends are rocksdb, memory");
  }
}
