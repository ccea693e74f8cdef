package dev.partisan.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.BKey;
import dev.partisan.kv.coverage.IndexKeys;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.IndexEntry;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.object.VersionVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backend keeps an object's index keys with it on every write path: put, delete, bulk writes in
 * every mode, partition drops; overwrites and tombstones remove what the old value had.
 */
abstract class IndexStorageTest {
  static final int P = 5;
  protected Backend backend;

  abstract Backend open();

  Backend openIndexed() {
    Backend b = open();
    b.useIndexes(IndexKeys.extractor());
    return b;
  }

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  static BKey key(String k) {
    return BKey.of("t", "b", k);
  }

  /** An encoded object under one live sibling with {@code entries}, or a tombstone. */
  static byte[] object(long counter, boolean tombstone, IndexEntry... entries) {
    Sibling s =
        new Sibling(
            new Dot("a", counter),
            tombstone ? new byte[0] : "v".getBytes(StandardCharsets.UTF_8),
            "t",
            Map.of(),
            counter,
            tombstone,
            List.of(entries));
    return ObjectCodec.encode(new KvObject(new VersionVector(Map.of("a", counter)), List.of(s)));
  }

  /** The partition's index as readable strings "field=term@key". */
  List<String> index(int partition) {
    List<String> out = new ArrayList<>();
    backend.foldIndex(
        partition,
        new byte[0],
        null,
        k -> {
          IndexKeys.Entry e = IndexKeys.decode(k);
          out.add(e.field() + "=" + text(e.term()) + "@" + text(e.key()));
          return true;
        });
    return out;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aPutIndexesTheObjectAndAnOverwriteReplacesItsEntries() {
    backend = openIndexed();
    BKey k = key("k1");
    backend.put(
        P,
        k.toStorageKey(),
        object(1, false, IndexEntry.of("a_bin", "x"), IndexEntry.of("n_int", "7")));
    assertThat(index(P)).containsExactly("$key=k1@k1", "a_bin=x@k1", "n_int=7@k1");
    backend.put(P, k.toStorageKey(), object(2, false, IndexEntry.of("a_bin", "y")));
    assertThat(index(P)).containsExactly("$key=k1@k1", "a_bin=y@k1");
    assertThat(index(P + 1)).isEmpty();
  }

  @Test
  void aTombstoneAndADeleteRemoveEveryEntry() {
    backend = openIndexed();
    backend.put(P, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    backend.put(P, key("k2").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    backend.put(P, key("k1").toStorageKey(), object(2, true));
    assertThat(index(P)).containsExactly("$key=k2@k2", "a_bin=x@k2");
    backend.delete(P, key("k2").toStorageKey());
    assertThat(index(P)).isEmpty();
    backend.delete(P, key("k1").toStorageKey());
    assertThat(backend.isEmpty(P)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(BulkWriteMode.class)
  void bulkWritesKeepTheIndexInEveryMode(BulkWriteMode mode) {
    backend = openIndexed();
    backend.put(P, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "old")));
    backend.put(P, key("k2").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "gone")));
    SortedMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
    batch.put(key("k1").toStorageKey(), object(2, false, IndexEntry.of("a_bin", "new")));
    batch.put(key("k2").toStorageKey(), object(2, true));
    batch.put(key("k3").toStorageKey(), object(1, false, IndexEntry.of("n_int", "-1")));
    backend.writeBulk(P, batch, mode);
    backend.syncBulk(mode);
    assertThat(index(P)).containsExactly("$key=k1@k1", "$key=k3@k3", "a_bin=new@k1", "n_int=-1@k3");
  }

  @Test
  void droppingAPartitionDropsItsIndex() {
    backend = openIndexed();
    backend.put(P, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    backend.put(P + 1, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    backend.dropPartition(P);
    assertThat(index(P)).isEmpty();
    assertThat(index(P + 1)).hasSize(2);
  }

  @Test
  void foldsSeeOnlyObjectsAndARangeScanStopsAtItsEnd() {
    backend = openIndexed();
    for (String k : List.of("a", "b", "c")) {
      backend.put(
          P,
          key(k).toStorageKey(),
          object(1, false, IndexEntry.of("n_int", k.equals("b") ? "2" : "9")));
    }
    List<byte[]> folded = new ArrayList<>();
    backend.fold(
        P,
        (k, v) -> {
          folded.add(k);
          return true;
        });
    assertThat(folded).hasSize(3);
    byte[] from = IndexKeys.termPrefix(b("t"), b("b"), "n_int", b("2"));
    List<String> hits = new ArrayList<>();
    backend.foldIndex(
        P, from, IndexKeys.after(from), k -> hits.add(text(IndexKeys.decode(k).key())));
    assertThat(hits).containsExactly("b");
  }

  @Test
  void aRefusedBulkBatchWritesNeitherObjectsNorIndexKeys() {
    backend = openIndexed();
    SortedMap<byte[], byte[]> descending = new TreeMap<>((x, y) -> Arrays.compareUnsigned(y, x));
    descending.put(key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    descending.put(key("k2").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    if (backend instanceof RocksDbBackend) {
      assertThatThrownBy(() -> backend.writeBulk(P, descending, BulkWriteMode.WAL_OFF))
          .isInstanceOf(BackendException.class);
      assertThat(backend.isEmpty(P)).isTrue();
      assertThat(index(P)).isEmpty();
    }
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

class MemoryIndexStorageTest extends IndexStorageTest {
  @Override
  Backend open() {
    return new MemoryBackend();
  }
}

class RocksDbIndexStorageTest extends IndexStorageTest {
  @TempDir Path dir;

  @Override
  Backend open() {
    return new RocksDbBackend(dir, false);
  }

  @Test
  void theIndexSurvivesARestartAndStaysRightAfterIt() {
    backend = openIndexed();
    backend.put(P, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    SortedMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
    batch.put(key("k2").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "y")));
    backend.writeBulk(P, batch, BulkWriteMode.WAL_OFF);
    backend.syncBulk(BulkWriteMode.WAL_OFF);
    backend.close();
    backend = openIndexed();
    assertThat(index(P)).containsExactly("$key=k1@k1", "$key=k2@k2", "a_bin=x@k1", "a_bin=y@k2");
    backend.put(P, key("k1").toStorageKey(), object(2, true));
    assertThat(index(P)).containsExactly("$key=k2@k2", "a_bin=y@k2");
  }

  @Test
  void anIngestedBatchThatOverlapsTheMemtableStillKeepsTheIndex() {
    backend = openIndexed();
    // The put leaves the partition's range in the memtable: the ingestion falls back to the log.
    backend.put(P, key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    SortedMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
    batch.put(key("k1").toStorageKey(), object(2, false, IndexEntry.of("a_bin", "z")));
    backend.writeBulk(P, batch, BulkWriteMode.INGEST);
    assertThat(((RocksDbBackend) backend).ingestFallbacks()).isEqualTo(1);
    assertThat(index(P)).containsExactly("$key=k1@k1", "a_bin=z@k1");
  }

  @Test
  void anIngestedFileCarriesTheIndexChangesWithTheObjects() {
    backend = openIndexed();
    SortedMap<byte[], byte[]> first = new TreeMap<>(Arrays::compareUnsigned);
    first.put(key("k1").toStorageKey(), object(1, false, IndexEntry.of("a_bin", "x")));
    backend.writeBulk(P, first, BulkWriteMode.INGEST);
    SortedMap<byte[], byte[]> second = new TreeMap<>(Arrays::compareUnsigned);
    second.put(key("k1").toStorageKey(), object(2, false, IndexEntry.of("a_bin", "y")));
    backend.writeBulk(P, second, BulkWriteMode.INGEST);
    assertThat(((RocksDbBackend) backend).ingestFallbacks()).isZero();
    assertThat(index(P)).containsExactly("$key=k1@k1", "a_bin=y@k1");
  }
}
