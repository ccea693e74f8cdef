package dev.partisan.kv.backend;

import java.util.SortedMap;

/**
 * Storage for the objects of every partition this node holds. Keys are opaque bytes (the vnode
 * stores its objects under the ring's canonical key encoding); values are encoded objects.
 *
 * <p>Thread-safety: implementations are safe for concurrent use. In normal operation each partition
 * is written only by its vnode actor; folds, emptiness checks and sizes may come from other threads
 * (ring manager, handoff, anti-entropy).
 */
public interface Backend extends AutoCloseable {
  /** The stored value, or null. */
  byte[] get(int partition, byte[] key);

  void put(int partition, byte[] key, byte[] value);

  void delete(int partition, byte[] key);

  /**
   * Stores the merged objects of a received handoff batch, the way {@code mode} says. {@code
   * entries} are ordered by {@link java.util.Arrays#compareUnsigned} (the order of {@link #fold}),
   * each key once. All of them are stored, or (when this throws {@link BackendException}) none in
   * the modes that write a batch at once ({@link BulkWriteMode#WAL_OFF}, {@link
   * BulkWriteMode#INGEST}); {@link BulkWriteMode#WAL} writes them one by one. The caller keeps
   * every other write to these keys out until this returns (the vnode's {@code Deferral}).
   */
  void writeBulk(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode);

  /**
   * Makes everything written with {@link #writeBulk} in {@code mode} so far survive a crash of the
   * process and of the machine. A receiver calls it before it confirms a whole transfer, after
   * which the sender deletes its copy. May take a while (a memtable flush): call it off the request
   * path.
   */
  void syncBulk(BulkWriteMode mode);

  /**
   * Visits the partition's entries in unsigned key order until {@code visitor} returns false. The
   * view is a consistent snapshot taken at the start of the fold.
   */
  void fold(int partition, FoldVisitor visitor);

  /**
   * Like {@link #fold(int, FoldVisitor)} but starts strictly after {@code after} (null: from the
   * first key), so a long scan can be done in chunks, each on its own snapshot. Handoff and the
   * anti-entropy tree builds use it to resume where the last chunk stopped.
   */
  default void fold(int partition, byte[] after, FoldVisitor visitor) {
    if (after == null) {
      fold(partition, visitor);
      return;
    }
    fold(
        partition,
        (key, value) ->
            java.util.Arrays.compareUnsigned(key, after) <= 0 || visitor.visit(key, value));
  }

  /**
   * From now on keeps a secondary index of every object written, derived by {@code extractor}: an
   * object's index keys are written with it (in the same atomic write where the backend has one),
   * and replaced or removed when the object is overwritten or deleted, in every write path here
   * ({@link #put}, {@link #delete}, {@link #writeBulk} in every mode); {@link #dropPartition} drops
   * them too. Folds do not see them. Set once by the node, before any write.
   */
  void useIndexes(IndexExtractor extractor);

  /**
   * Visits the partition's index keys in {@code [from, to)} (unsigned order; {@code to} null: to
   * the end) until {@code visitor} returns false, on a consistent snapshot where the backend has
   * them.
   */
  void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor);

  /** Receives one index key of {@link #foldIndex}; returns false to stop. */
  @FunctionalInterface
  interface IndexVisitor {
    boolean visit(byte[] indexKey);
  }

  /** Removes every entry of the partition (after its data was handed off). */
  void dropPartition(int partition);

  boolean isEmpty(int partition);

  /** Bytes the partition occupies, approximately (RocksDB: files plus memtables). */
  long approximateSize(int partition);

  /** A small key-value store for node metadata (ring state, vnode epochs, bucket properties). */
  MetaStore meta();

  /** Flushes and releases resources; later calls fail with {@link BackendException}. */
  @Override
  void close();

  /** Receives one entry of a fold; returns false to stop. */
  @FunctionalInterface
  interface FoldVisitor {
    boolean visit(byte[] key, byte[] value);
  }
}
