package dev.partisan.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every backend must have; one subclass per backend. */
abstract class BackendContractTest {
  protected Backend backend;

  abstract Backend open();

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void foldResumesStrictlyAfterAKey() {
    backend = open();
    for (String k : List.of("a", "b", "c", "d")) {
      backend.put(7, b(k), b("v" + k));
    }
    backend.put(8, b("e"), b("ve"));
    List<String> seen = new ArrayList<>();
    backend.fold(7, b("b"), (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8)));
    assertThat(seen).containsExactly("c", "d");
    seen.clear();
    backend.fold(7, b("bb"), (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8)));
    assertThat(seen).as("a key that is not stored").containsExactly("c", "d");
    seen.clear();
    backend.fold(7, null, (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8)));
    assertThat(seen).containsExactly("a", "b", "c", "d");
    seen.clear();
    backend.fold(7, b("d"), (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8)));
    assertThat(seen).as("nothing after the last key, nothing from the next partition").isEmpty();
  }

  @Test
  void getPutDelete() {
    backend = open();
    assertThat(backend.get(3, b("k"))).isNull();
    backend.put(3, b("k"), b("v1"));
    assertThat(backend.get(3, b("k"))).isEqualTo(b("v1"));
    assertThat(backend.get(4, b("k"))).as("partitions are separate").isNull();
    backend.put(3, b("k"), b("v2"));
    assertThat(backend.get(3, b("k"))).isEqualTo(b("v2"));
    backend.delete(3, b("k"));
    assertThat(backend.get(3, b("k"))).isNull();
    backend.delete(3, b("absent"));
  }

  @Test
  void foldVisitsOnlyThePartitionInUnsignedKeyOrderAndCanStop() {
    backend = open();
    byte[][] keys = {{0}, {1, 2}, {(byte) 0x7F}, {(byte) 0x80}, {(byte) 0xFF, 0}};
    for (int i = keys.length - 1; i >= 0; i--) {
      backend.put(7, keys[i], new byte[] {(byte) i});
    }
    backend.put(6, b("other"), b("x"));
    backend.put(8, b("other"), b("x"));
    List<byte[]> seen = new ArrayList<>();
    backend.fold(
        7,
        (k, v) -> {
          seen.add(k);
          return true;
        });
    assertThat(seen).containsExactly(keys);
    List<byte[]> firstTwo = new ArrayList<>();
    backend.fold(
        7,
        (k, v) -> {
          firstTwo.add(k);
          return firstTwo.size() < 2;
        });
    assertThat(firstTwo).hasSize(2);
  }

  @Test
  void dropPartitionEmptiesOnlyThatPartition() {
    backend = open();
    for (int i = 0; i < 100; i++) {
      backend.put(1, b("k" + i), new byte[100]);
      backend.put(2, b("k" + i), new byte[100]);
    }
    assertThat(backend.isEmpty(1)).isFalse();
    assertThat(backend.isEmpty(0)).isTrue();
    assertThat(backend.approximateSize(1)).isPositive();
    backend.dropPartition(1);
    assertThat(backend.isEmpty(1)).isTrue();
    assertThat(backend.get(1, b("k5"))).isNull();
    assertThat(backend.isEmpty(2)).isFalse();
    assertThat(backend.get(2, b("k5"))).hasSize(100);
  }

  @Test
  void metadataIsSeparateFromData() {
    backend = open();
    backend.meta().put("ring", b("state"));
    assertThat(backend.meta().get("ring")).isEqualTo(b("state"));
    assertThat(backend.isEmpty(0)).isTrue();
    backend.meta().delete("ring");
    assertThat(backend.meta().get("ring")).isNull();
  }

  @Test
  void aClosedBackendFailsCleanly() {
    backend = open();
    backend.close();
    assertThatThrownBy(() -> backend.get(0, b("k"))).isInstanceOf(BackendException.class);
    backend = null;
  }
}

class MemoryBackendTest extends BackendContractTest {
  @Override
  Backend open() {
    return new MemoryBackend();
  }
}

class RocksDbBackendTest extends BackendContractTest {
  @TempDir Path dir;

  @Override
  Backend open() {
    return new RocksDbBackend(dir.resolve("db"), false);
  }

  @Test
  void dataSurvivesReopening() {
    backend = open();
    backend.put(5, b("k"), b("v"));
    backend.meta().put("m", b("x"));
    backend.close();
    backend = new RocksDbBackend(dir.resolve("db"), true);
    assertThat(backend.get(5, b("k"))).isEqualTo(b("v"));
    assertThat(backend.meta().get("m")).isEqualTo(b("x"));
  }

  @Test
  void largeValuesAreStored() {
    backend = open();
    byte[] big = new byte[8 * 1024 * 1024];
    big[big.length - 1] = 42;
    backend.put(0, b("big"), big);
    assertThat(backend.get(0, b("big"))).isEqualTo(big);
  }
}
