package dev.partisan.kv.backend;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * An in-memory backend: one sorted concurrent map per partition. Nothing survives a restart. Folds
 * iterate a weakly consistent view (concurrent writes may or may not be seen), which is what an
 * in-memory store can offer without copying the partition.
 *
 * <p>Index keys ({@link #useIndexes}) live in a sorted set per partition, updated right after the
 * object's own map entry: a query running meanwhile may see one without the other (no snapshot here
 * either); each key is written by one thread at a time (its vnode, or the bulk pool while the vnode
 * holds the key's requests back), so the old value each write replaces is exact.
 */
public final class MemoryBackend implements Backend {
  private final Map<Integer, ConcurrentNavigableMap<byte[], byte[]>> partitions =
      new ConcurrentHashMap<>();
  private final Map<Integer, ConcurrentSkipListSet<byte[]>> indexes = new ConcurrentHashMap<>();
  private final Map<String, byte[]> meta = new ConcurrentHashMap<>();
  private volatile IndexExtractor extractor = IndexExtractor.NONE;
  private volatile boolean closed;

  private ConcurrentNavigableMap<byte[], byte[]> partition(int p) {
    checkOpen();
    return partitions.computeIfAbsent(p, k -> new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
  }

  @Override
  public byte[] get(int partition, byte[] key) {
    byte[] v = partition(partition).get(key);
    return v == null ? null : v.clone();
  }

  private ConcurrentSkipListSet<byte[]> index(int p) {
    return indexes.computeIfAbsent(p, k -> new ConcurrentSkipListSet<>(Arrays::compareUnsigned));
  }

  @Override
  public void put(int partition, byte[] key, byte[] value) {
    byte[] old = partition(partition).put(key.clone(), value.clone());
    reindex(partition, key, old, value);
  }

  @Override
  public void delete(int partition, byte[] key) {
    byte[] old = partition(partition).remove(key);
    reindex(partition, key, old, null);
  }

  private void reindex(int partition, byte[] key, byte[] oldValue, byte[] newValue) {
    IndexDiff diff = IndexDiff.of(extractor, key, oldValue, newValue);
    if (diff != IndexDiff.NONE) {
      ConcurrentSkipListSet<byte[]> index = index(partition);
      diff.removed().forEach(index::remove);
      index.addAll(diff.added());
    }
  }

  @Override
  public void useIndexes(IndexExtractor extractor) {
    this.extractor = extractor;
  }

  @Override
  public void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor) {
    checkOpen();
    ConcurrentSkipListSet<byte[]> index = indexes.get(partition);
    if (index == null) {
      return;
    }
    for (byte[] k : to == null ? index.tailSet(from, true) : index.subSet(from, true, to, false)) {
      if (!visitor.visit(k.clone())) {
        return;
      }
    }
  }

  /** Every mode is the same here: the entries go into the map, and nothing is ever durable. */
  @Override
  public void writeBulk(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode) {
    entries.forEach((k, v) -> put(partition, k, v));
  }

  @Override
  public void syncBulk(BulkWriteMode mode) {
    checkOpen();
  }

  @Override
  public void fold(int partition, FoldVisitor visitor) {
    for (Map.Entry<byte[], byte[]> e : partition(partition).entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public void fold(int partition, byte[] after, FoldVisitor visitor) {
    ConcurrentNavigableMap<byte[], byte[]> m = partition(partition);
    for (Map.Entry<byte[], byte[]> e : (after == null ? m : m.tailMap(after, false)).entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  @Override
  public void dropPartition(int partition) {
    checkOpen();
    partitions.remove(partition);
    indexes.remove(partition);
  }

  @Override
  public boolean isEmpty(int partition) {
    checkOpen();
    ConcurrentNavigableMap<byte[], byte[]> m = partitions.get(partition);
    return m == null || m.isEmpty();
  }

  @Override
  public long approximateSize(int partition) {
    checkOpen();
    ConcurrentNavigableMap<byte[], byte[]> m = partitions.get(partition);
    long size = 0;
    if (m != null) {
      for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
        size += e.getKey().length + e.getValue().length;
      }
    }
    return size;
  }

  @Override
  public MetaStore meta() {
    return new MetaStore() {
      @Override
      public byte[] get(String name) {
        checkOpen();
        byte[] v = meta.get(name);
        return v == null ? null : v.clone();
      }

      @Override
      public void put(String name, byte[] value) {
        checkOpen();
        meta.put(name, value.clone());
      }

      @Override
      public void delete(String name) {
        checkOpen();
        meta.remove(name);
      }
    };
  }

  private void checkOpen() {
    if (closed) {
      throw new BackendException("backend is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
