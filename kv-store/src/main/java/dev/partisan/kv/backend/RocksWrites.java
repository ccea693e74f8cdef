package dev.partisan.kv.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The storage layout of {@link RocksDbBackend}'s data column family, and the writes that keep an
 * object and its index keys together.
 *
 * <pre>
 * object     := u16 partition, storage key     (the ring's key encoding: its first byte is 0x00)
 * index key  := u16 partition, 0xFF, index key (from the node's {@link IndexExtractor})
 * </pre>
 *
 * The index keys exist only once the node gave the backend an {@link IndexExtractor}; from then on
 * object keys may not start with 0xFF ({@link #checkKey}). So a partition's objects come first,
 * then its index keys, and both lie inside the partition's prefix: one range deletion drops both,
 * and an object's write and its index changes go into the same write batch (or the same ingested
 * table file), which RocksDB applies atomically.
 *
 * <p>Thread-safety: stateless apart from the extractor, which the node sets once before writing.
 */
final class RocksWrites {
  static final byte INDEX_MARK = (byte) 0xFF;
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_PARTITION = 0xFFFE;

  private volatile IndexExtractor extractor = IndexExtractor.NONE;

  void use(IndexExtractor extractor) {
    this.extractor = extractor;
  }

  boolean indexing() {
    return extractor != IndexExtractor.NONE;
  }

  /** The partition's two-byte prefix; every key of the partition starts with it. */
  static byte[] prefix(int partition) {
    if (partition < 0 || partition > MAX_PARTITION) {
      throw new IllegalArgumentException("partition out of range: " + partition);
    }
    return new byte[] {(byte) (partition >>> 8), (byte) partition};
  }

  static byte[] storageKey(int partition, byte[] key) {
    byte[] out = new byte[key.length + 2];
    out[0] = (byte) (partition >>> 8);
    out[1] = (byte) partition;
    System.arraycopy(key, 0, out, 2, key.length);
    return out;
  }

  /** Where the partition's index keys start: above every object of the partition. */
  static byte[] indexStart(int partition) {
    return new byte[] {(byte) (partition >>> 8), (byte) partition, INDEX_MARK};
  }

  static byte[] indexKey(int partition, byte[] indexKey) {
    byte[] out = new byte[indexKey.length + 3];
    out[0] = (byte) (partition >>> 8);
    out[1] = (byte) partition;
    out[2] = INDEX_MARK;
    System.arraycopy(indexKey, 0, out, 3, indexKey.length);
    return out;
  }

  /**
   * Once indexes are on, object keys starting with {@link #INDEX_MARK} would fall among the
   * partition's index keys: the vnode's keys never do (the ring's encoding starts with 0x00).
   */
  void checkKey(byte[] key) {
    if (indexing() && key.length > 0 && key[0] == INDEX_MARK) {
      throw new IllegalArgumentException("object keys starting with 0xFF are reserved for indexes");
    }
  }

  /** Where the partition's objects end (exclusive): at its index keys, or the next partition. */
  byte[] objectsEnd(int partition) {
    return indexing()
        ? indexStart(partition)
        : new byte[] {(byte) ((partition + 1) >>> 8), (byte) (partition + 1)};
  }

  /**
   * Adds to {@code writes} (storage key to value, null for a deletion) the replacement of {@code
   * oldValue} by {@code newValue} (null: delete) under {@code key}, with its index changes.
   */
  void collect(
      SortedMap<byte[], byte[]> writes, int partition, byte[] key, byte[] oldValue, byte[] value) {
    checkKey(key);
    writes.put(storageKey(partition, key), value);
    IndexDiff diff = IndexDiff.of(extractor, key, oldValue, value);
    for (byte[] k : diff.removed()) {
      writes.put(indexKey(partition, k), null);
    }
    for (byte[] k : diff.added()) {
      writes.put(indexKey(partition, k), EMPTY);
    }
  }

  static SortedMap<byte[], byte[]> newWrites() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  /** One write of {@code key}, with its index changes, as a single map of writes. */
  SortedMap<byte[], byte[]> single(int partition, byte[] key, byte[] oldValue, byte[] value) {
    SortedMap<byte[], byte[]> writes = newWrites();
    collect(writes, partition, key, oldValue, value);
    return writes;
  }

  /**
   * A handoff batch's writes: each object with its index changes, the old values read in one
   * multi-get (none when there is no index to keep).
   */
  SortedMap<byte[], byte[]> bulk(
      RocksDB db, ColumnFamilyHandle cf, int partition, SortedMap<byte[], byte[]> entries)
      throws RocksDBException {
    List<byte[]> olds = Collections.nCopies(entries.size(), null);
    byte[] previous = null;
    for (byte[] k : entries.keySet()) {
      if (previous != null && Arrays.compareUnsigned(previous, k) >= 0) {
        throw new BackendException("a bulk batch must be in ascending unsigned key order");
      }
      checkKey(k);
      previous = k;
    }
    if (indexing()) {
      List<byte[]> keys = new ArrayList<>(entries.size());
      for (byte[] k : entries.keySet()) {
        keys.add(storageKey(partition, k));
      }
      olds = db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
    }
    SortedMap<byte[], byte[]> writes = newWrites();
    int i = 0;
    for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
      collect(writes, partition, e.getKey(), olds.get(i++), e.getValue());
    }
    return writes;
  }

  /** {@code writes} as one write batch. */
  static WriteBatch batch(ColumnFamilyHandle cf, SortedMap<byte[], byte[]> writes)
      throws RocksDBException {
    WriteBatch batch = new WriteBatch();
    try {
      for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
        if (w.getValue() == null) {
          batch.delete(cf, w.getKey());
        } else {
          batch.put(cf, w.getKey(), w.getValue());
        }
      }
      return batch;
    } catch (RocksDBException | RuntimeException e) {
      batch.close();
      throw e;
    }
  }
}
