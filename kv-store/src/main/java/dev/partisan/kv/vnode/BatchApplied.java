package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import java.util.ArrayList;
import java.util.List;
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
   * On a bulk thread: stores each item of {@code batch} through {@code behaviour}. Never throws.
   */
  static BatchApplied apply(int partition, VnodeBehaviour behaviour, HandoffBatch batch) {
    List<Runnable> records = new ArrayList<>(batch.items().size());
    int skipped = 0;
    String error = null;
    try {
      for (HandoffItem item : batch.items()) {
        try {
          Runnable record = behaviour.applyHandoff(item);
          if (record == null) {
            skipped++;
          } else {
            records.add(record);
          }
        } catch (IllegalArgumentException e) { // malformed key or object
          skipped++;
          log.error(
              "vnode {}: dropping a malformed handed-off object: {}", partition, e.getMessage());
        }
      }
    } catch (BackendException e) {
      error = "store failed: " + e.getMessage();
    } catch (RuntimeException e) {
      log.error("vnode {}: applying a handoff batch failed", partition, e);
      error = "apply failed: " + e;
    }
    return new BatchApplied(batch.id(), batch.seq(), records, skipped, error);
  }
}
