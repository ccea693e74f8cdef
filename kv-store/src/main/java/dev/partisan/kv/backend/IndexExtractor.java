package dev.partisan.kv.backend;

import java.util.Collection;
import java.util.List;

/**
 * Derives the secondary-index keys of a stored object from its key and stored value, so a backend
 * keeps its index right on every write path (request writes, merges, handoff batches in every
 * {@link BulkWriteMode}, deletes) without its callers knowing about indexes. The node sets it once,
 * before any write ({@link Backend#useIndexes}); the backend stores the returned keys opaquely,
 * ordered by unsigned bytes, and range-scans them ({@link Backend#foldIndex}).
 */
@FunctionalInterface
public interface IndexExtractor {
  /** No indexes: what a backend does until it is given an extractor. */
  IndexExtractor NONE = (key, value) -> List.of();

  /**
   * The index keys of the object stored under {@code key} with {@code value} (null: nothing
   * stored), each once. Must not throw: an unreadable value has no index keys.
   */
  Collection<byte[]> indexKeys(byte[] key, byte[] value);
}
