package dev.partisan.kv.backend;

import dev.partisan.kv.backend.Backend.FoldVisitor;
import dev.partisan.kv.backend.Backend.IndexVisitor;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * The read side of {@link RocksDbBackend}: point reads, the folds over a partition's objects and
 * over its index keys (range scans on a snapshot, see {@link RocksWrites} for the layout), whether
 * a partition holds objects, and its approximate size. Every call holds the backend's {@link
 * CloseGuard}.
 *
 * <p>Thread-safety: no mutable state of its own (RocksDB is thread-safe; the layout's extractor is
 * volatile); any thread may call it.
 */
final class RocksReads {
  private final RocksOpenDb store;
  private final RocksWrites layout;
  private final CloseGuard guard;

  RocksReads(RocksOpenDb store, RocksWrites layout, CloseGuard guard) {
    this.store = store;
    this.layout = layout;
    this.guard = guard;
  }

  byte[] get(int partition, byte[] key) {
    byte[] k = RocksWrites.storageKey(partition, key);
    return guard.call("get failed", () -> store.db.get(store.data, k));
  }

  void fold(int partition, byte[] after, FoldVisitor visitor) {
    byte[] start =
        after == null ? RocksWrites.prefix(partition) : RocksWrites.storageKey(partition, after);
    byte[] end = layout.objectsEnd(partition); // objects only
    scan(start, after != null, end, 2, visitor, "fold");
  }

  void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor) {
    byte[] start = RocksWrites.indexKey(partition, from);
    byte[] end =
        to == null ? RocksWrites.prefix(partition + 1) : RocksWrites.indexKey(partition, to);
    scan(start, false, end, 3, (k, v) -> visitor.visit(k), "index fold");
  }

  /**
   * Visits {@code [start, end)} (strictly after {@code start} when {@code exclusive}) on a
   * snapshot, handing each key without its first {@code strip} bytes (the layout's prefix).
   */
  private void scan(
      byte[] start, boolean exclusive, byte[] end, int strip, FoldVisitor visitor, String what) {
    RocksDB db = store.db;
    guard.run(
        what + " failed",
        () -> {
          Snapshot snapshot = db.getSnapshot();
          try (Slice upper = new Slice(end);
              ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
              RocksIterator it = db.newIterator(store.data, ro)) {
            it.seek(start);
            if (exclusive && it.isValid() && Arrays.equals(it.key(), start)) {
              it.next(); // strictly after
            }
            for (; it.isValid(); it.next()) {
              byte[] k = it.key();
              if (!visitor.visit(Arrays.copyOfRange(k, strip, k.length), it.value())) {
                break;
              }
            }
            it.status();
          } finally {
            db.releaseSnapshot(snapshot);
          }
        });
  }

  boolean isEmpty(int partition) {
    byte[] start = RocksWrites.prefix(partition);
    byte[] end = layout.objectsEnd(partition); // an object, not a stray index key
    return guard.call(
        "emptiness check failed",
        () -> {
          try (Slice upper = new Slice(end);
              ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
              RocksIterator it = store.db.newIterator(store.data, ro)) {
            it.seek(start);
            return !it.isValid();
          }
        });
  }

  long approximateSize(int partition) {
    return guard.call(
        "size estimate failed",
        () -> {
          try (Slice start = new Slice(RocksWrites.prefix(partition));
              Slice end = new Slice(RocksWrites.prefix(partition + 1))) {
            long[] sizes =
                store.db.getApproximateSizes(
                    store.data,
                    List.of(new Range(start, end)),
                    SizeApproximationFlag.INCLUDE_FILES,
                    SizeApproximationFlag.INCLUDE_MEMTABLES,
                    SizeApproximationFlag.INCLUDE_BLOB_FILES);
            return sizes.length == 0 ? 0L : sizes[0];
          }
        });
  }
}
