package dev.partisan.kv.backend;

import java.util.Map;
import java.util.SortedMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The request writes of {@link RocksDbBackend} (put and delete, through the write-ahead log), and
 * how any map of writes is applied atomically: an object together with its index changes goes in
 * one write batch ({@link RocksWrites} builds the map). With no extractor a write is a plain put or
 * delete, without reading the old value.
 *
 * <p>Thread-safety: no mutable state of its own; any thread may call it. {@link #put} and {@link
 * #delete} hold the backend's {@link CloseGuard}; {@link #apply} expects its caller to hold it.
 */
final class RocksWriter {
  private final RocksOpenDb store;
  private final RocksWrites layout;
  private final CloseGuard guard;

  RocksWriter(RocksOpenDb store, RocksWrites layout, CloseGuard guard) {
    this.store = store;
    this.layout = layout;
    this.guard = guard;
  }

  void put(int partition, byte[] key, byte[] value) {
    byte[] k = RocksWrites.storageKey(partition, key);
    guard.run(
        "put failed",
        () -> {
          if (layout.indexing()) {
            // The old value's index keys are the ones to remove: it must be read.
            putIndexed(partition, key, k, value);
          } else {
            store.db.put(store.data, store.writeOptions, k, value);
          }
        });
  }

  void delete(int partition, byte[] key) {
    byte[] k = RocksWrites.storageKey(partition, key);
    guard.run(
        "delete failed",
        () -> {
          if (layout.indexing()) {
            putIndexed(partition, key, k, null);
          } else {
            store.db.delete(store.data, store.writeOptions, k);
          }
        });
  }

  /**
   * Replaces what {@code storageKey} holds by {@code value} (null: delete) with its index changes,
   * through the log; the caller holds the guard.
   */
  void putIndexed(int partition, byte[] key, byte[] storageKey, byte[] value)
      throws RocksDBException {
    byte[] old = store.db.get(store.data, storageKey);
    apply(layout.single(partition, key, old, value), store.writeOptions);
  }

  /**
   * {@code all} (storage keys to values, null: delete) in one write batch, atomically; the caller
   * holds the guard.
   */
  void apply(SortedMap<byte[], byte[]> all, WriteOptions options) throws RocksDBException {
    if (all.size() == 1) { // the object alone (its index unchanged): no batch to build
      Map.Entry<byte[], byte[]> only = all.entrySet().iterator().next();
      if (only.getValue() == null) {
        store.db.delete(store.data, options, only.getKey());
      } else {
        store.db.put(store.data, options, only.getKey(), only.getValue());
      }
      return;
    }
    try (WriteBatch batch = RocksWrites.batch(store.data, all)) {
      store.db.write(options, batch);
    }
  }
}
