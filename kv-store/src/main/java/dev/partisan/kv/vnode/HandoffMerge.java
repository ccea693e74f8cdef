package dev.partisan.kv.vnode;

import java.util.Objects;

/**
 * What a behaviour makes of one handed-off object ({@link VnodeBehaviour#mergeHandoff}): the value
 * to store under the object's key, and the behaviour's bookkeeping to run once it is stored.
 *
 * @param value the merged object to store; null when what is stored already is the merge (a resent
 *     or older object): nothing is written
 * @param record the behaviour's update of its own state (hash trees, the dirty set), run on the
 *     vnode's thread after the value is stored
 */
public record HandoffMerge(byte[] value, Runnable record) {
  private static final HandoffMerge UNCHANGED = new HandoffMerge(null, () -> {});

  public HandoffMerge {
    Objects.requireNonNull(record, "record");
  }

  /** The object changes nothing here: nothing to store, nothing to record. */
  public static HandoffMerge unchanged() {
    return UNCHANGED;
  }
}
