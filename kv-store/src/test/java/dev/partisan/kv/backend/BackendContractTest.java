package dev.partisan.kv.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
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

  /** Entries ordered as {@link Backend#writeBulk} wants them. */
  static SortedMap<byte[], byte[]> sorted(String... keysAndValues) {
    SortedMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(b(keysAndValues[i]), b(keysAndValues[i + 1]));
    }
    return m;
  }

  static List<String> keys(Backend backend, int partition) {
    List<String> seen = new ArrayList<>();
    backend.fold(partition, (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8)));
    return seen;
  }

  @Test
  void aBulkWriteStoresEveryEntryInEveryMode() {
    backend = open();
    for (BulkWriteMode mode : BulkWriteMode.values()) {
      int p = 10 + 2 * mode.ordinal();
      backend.put(p, b("b"), b("old"));
      backend.put(p, b("c"), b("neighbour"));
      backend.writeBulk(p, sorted("a", "1", "b", "2", "\u00ff", "3"), mode);
      backend.syncBulk(mode);
      assertThat(backend.get(p, b("a"))).as(mode.name()).isEqualTo(b("1"));
      assertThat(backend.get(p, b("b"))).as("%s replaces what was stored", mode).isEqualTo(b("2"));
      assertThat(backend.get(p, b("c"))).as("%s leaves other keys", mode).isEqualTo(b("neighbour"));
      assertThat(keys(backend, p)).as(mode.name()).containsExactly("a", "b", "c", "\u00ff");
      assertThat(backend.isEmpty(p + 1)).as("%s writes one partition", mode).isTrue();
    }
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

  private RocksDbBackend rocks() {
    return (RocksDbBackend) backend;
  }

  /** Closes the database as a crash of the process leaves it, and opens it again. */
  private void crashAndReopen() {
    rocks().leaveMemtablesOnClose();
    backend.close();
    backend = open();
  }

  @Test
  void walOffBulkWritesSurviveACrashOnlyOnceSynced() {
    backend = open();
    backend.writeBulk(1, sorted("lost", "x"), BulkWriteMode.WAL_OFF);
    backend.put(1, b("request"), b("logged"));
    crashAndReopen();
    assertThat(backend.get(1, b("lost"))).as("only in the memtable: the crash lost it").isNull();
    assertThat(backend.get(1, b("request"))).as("in the log").isEqualTo(b("logged"));

    backend.writeBulk(1, sorted("kept", "y"), BulkWriteMode.WAL_OFF);
    backend.syncBulk(BulkWriteMode.WAL_OFF);
    crashAndReopen();
    assertThat(backend.get(1, b("kept"))).as("flushed by the sync").isEqualTo(b("y"));
  }

  @Test
  void walAndIngestedBulkWritesSurviveACrashWithoutASync() {
    backend = open();
    backend.writeBulk(1, sorted("logged", "x"), BulkWriteMode.WAL);
    backend.writeBulk(2, sorted("ingested", "y"), BulkWriteMode.INGEST);
    crashAndReopen();
    assertThat(backend.get(1, b("logged"))).isEqualTo(b("x"));
    assertThat(backend.get(2, b("ingested"))).isEqualTo(b("y"));
  }

  @Test
  void anIngestedValueSupersedesTheStoredOneEvenUnderAnOpenSnapshot() {
    backend = open();
    backend.put(4, b("b"), b("old"));
    backend.put(4, b("c"), b("neighbour"));
    List<String> seenDuring = new ArrayList<>();
    // A fold holds a snapshot while the file is ingested: it must not see the ingested values.
    backend.fold(
        4,
        (k, v) -> {
          if (seenDuring.isEmpty()) {
            backend.writeBulk(4, sorted("a", "1", "b", "new", "d", "4"), BulkWriteMode.INGEST);
          }
          seenDuring.add(
              new String(k, StandardCharsets.UTF_8) + "=" + new String(v, StandardCharsets.UTF_8));
          return true;
        });
    assertThat(seenDuring).containsExactly("b=old", "c=neighbour");
    assertThat(backend.get(4, b("b"))).isEqualTo(b("new"));
    assertThat(backend.get(4, b("c"))).isEqualTo(b("neighbour"));
    assertThat(keys(backend, 4)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void anIngestionLeavesNoFileBehindEvenWhenItFails() throws IOException {
    backend = open();
    backend.writeBulk(2, sorted("a", "1", "b", "2"), BulkWriteMode.INGEST);
    assertThat(backend.get(2, b("b"))).isEqualTo(b("2"));
    assertThat(filesIn(rocks().ingestFolder())).isEmpty();

    // Out of order: the table file is opened and written, then refused.
    SortedMap<byte[], byte[]> descending = new TreeMap<>((x, y) -> Arrays.compareUnsigned(y, x));
    descending.putAll(sorted("a", "1", "b", "2"));
    assertThatThrownBy(() -> backend.writeBulk(3, descending, BulkWriteMode.INGEST))
        .isInstanceOf(BackendException.class);
    assertThat(backend.isEmpty(3)).as("all or nothing").isTrue();
    assertThat(filesIn(rocks().ingestFolder())).isEmpty();
  }

  @Test
  void aFileLeftInTheIngestFolderByACrashIsRemovedAtOpen() throws IOException {
    backend = open();
    Path left = rocks().ingestFolder().resolve("batch-7.sst");
    Files.write(left, new byte[] {1, 2, 3});
    backend.close();
    backend = open();
    assertThat(left).doesNotExist();
    assertThat(filesIn(rocks().ingestFolder())).isEmpty();
  }

  private static List<Path> filesIn(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void anIngestionThatWouldNeedAMemtableFlushIsWrittenThroughTheLogInstead() throws IOException {
    backend = open();
    backend.put(3, b("m"), b("request")); // a request's write, still in the memtable
    backend.writeBulk(3, sorted("a", "1", "z", "2"), BulkWriteMode.INGEST); // a..z covers m
    assertThat(rocks().ingestFallbacks()).isEqualTo(1);
    backend.writeBulk(4, sorted("a", "3"), BulkWriteMode.INGEST); // nothing of 4 in the memtable
    assertThat(rocks().ingestFallbacks()).isEqualTo(1);
    assertThat(filesIn(rocks().ingestFolder())).isEmpty();
    backend.syncBulk(BulkWriteMode.INGEST);
    crashAndReopen();
    assertThat(backend.get(3, b("a"))).isEqualTo(b("1"));
    assertThat(backend.get(3, b("m"))).isEqualTo(b("request"));
    assertThat(backend.get(3, b("z"))).isEqualTo(b("2"));
    assertThat(backend.get(4, b("a"))).isEqualTo(b("3"));
  }

  @Test
  void compactAllLeavesEverythingOnDiskAndReadable() {
    backend = open();
    backend.writeBulk(1, sorted("a", "1"), BulkWriteMode.WAL_OFF); // in the memtable only
    backend.put(2, b("b"), b("2"));
    rocks().compactAll(); // flushes the memtable, then compacts to the bottom level
    crashAndReopen();
    assertThat(backend.get(1, b("a"))).isEqualTo(b("1"));
    assertThat(backend.get(2, b("b"))).isEqualTo(b("2"));
  }

  @Test
  void aBackgroundWriteCapStillStoresAndFlushes() {
    backend = new RocksDbBackend(dir.resolve("capped"), new BackendOptions(false, 1L << 20));
    backend.writeBulk(1, sorted("a", "1"), BulkWriteMode.WAL_OFF);
    backend.syncBulk(BulkWriteMode.WAL_OFF); // a flush through the rate limiter
    assertThat(backend.get(1, b("a"))).isEqualTo(b("1"));
  }

  @Test
  void largeValuesAreStored() {
    backend = open();
    byte[] big = new byte[8 * 1024 * 1024];
    big[big.length - 1] = 42;
    backend.put(0, b("big"), big);
    assertThat(backend.get(0, b("big"))).isEqualTo(big);
    for (BulkWriteMode mode : BulkWriteMode.values()) {
      SortedMap<byte[], byte[]> entries = sorted("small", "s");
      entries.put(b("big-" + mode), big);
      backend.writeBulk(1, entries, mode);
      assertThat(backend.get(1, b("big-" + mode))).as(mode.name()).isEqualTo(big);
    }
    backend.writeBulk(1, sorted(), BulkWriteMode.INGEST); // nothing to write
  }
}
