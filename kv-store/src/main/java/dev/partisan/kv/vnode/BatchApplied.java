package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local: a handoff batch was applied on the {@link BulkPool}; its vnode records what changed and
 * acknowledges it.
 *
 * @param records the behaviour's bookkeeping of each stored item (hash trees, the handoff's dirty
 *     set), to run on the vnode's thread in order; also for the items stored before a failure
 * @param skipped items that could not be stored (malformed or too large)
 * @param error why the batch is refused (the store failed), or null
 */
record BatchApplied(long id, long seq, List<Runnable> records, int skipped, String error) {
  private static final Logger log = LoggerFactory.getLogger(BatchApplied.class);

  /**
   * On a bulk thread: merges each item of {@code batch} through {@code behaviour} and writes the
   * results to {@code backend} in {@code mode}: one write per item with {@link BulkWriteMode#WAL}
   * (as before the modes existed), the whole batch at once otherwise. Never throws.
   */
  static BatchApplied apply(
      int partition,
      VnodeBehaviour behaviour,
      HandoffBatch batch,
      Backend backend,
      BulkWriteMode mode) {
    Staged staged = new Staged(partition, backend, mode, batch.items().size());
    int skipped = 0;
    String error = null;
    try {
      for (HandoffItem item : batch.items()) {
        if (staged.holds(item.key())) {
          staged.write(); // the same key again: its merge must read the first one's result
        }
        try {
          HandoffMerge merge = behaviour.mergeHandoff(item);
          if (merge == null) {
            skipped++;
          } else {
            staged.add(item.key(), merge);
          }
        } catch (IllegalArgumentException e) { // malformed key or object
          skipped++;
          log.error(
              "vnode {}: dropping a malformed handed-off object: {}", partition, e.getMessage());
        }
        if (mode == BulkWriteMode.WAL) {
          staged.write();
        }
      }
      staged.write();
    } catch (BackendException e) {
      error = "store failed: " + e.getMessage();
    } catch (RuntimeException e) {
      log.error("vnode {}: applying a handoff batch failed", partition, e);
      error = "apply failed: " + e;
    }
    return new BatchApplied(batch.id(), batch.seq(), staged.stored, skipped, error);
  }

  /**
   * The merged values not written yet, in key order, with their records; and the records of what is
   * written. Confined to the applying bulk thread.
   */
  private static final class Staged {
    private final int partition;
    private final Backend backend;
    private final BulkWriteMode mode;
    private final TreeMap<byte[], byte[]> values = new TreeMap<>(Arrays::compareUnsigned);
    private final List<Runnable> pending = new ArrayList<>();
    final List<Runnable> stored;

    Staged(int partition, Backend backend, BulkWriteMode mode, int items) {
      this.partition = partition;
      this.backend = backend;
      this.mode = mode;
      this.stored = new ArrayList<>(items);
    }

    boolean holds(byte[] key) {
      return values.containsKey(key);
    }

    void add(byte[] key, HandoffMerge merge) {
      if (merge.value() != null) {
        values.put(key, merge.value());
      }
      pending.add(merge.record());
    }

    /** Writes what is staged; its records count as stored only once the write succeeded. */
    void write() {
      if (!values.isEmpty()) {
        backend.writeBulk(partition, values, mode);
        values.clear();
      }
      stored.addAll(pending);
      pending.clear();
    }
  }
}
