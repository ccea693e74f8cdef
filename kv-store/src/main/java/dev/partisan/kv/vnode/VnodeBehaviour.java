package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.runtime.ActorContext;

/**
 * What a partition's data means, driven by the generic {@link Vnode} (riak_core's vnode behaviour,
 * which riak_kv's vnode implements; here {@code replica.KvVnode}). The vnode layer decides whether
 * a message is served here at all (handoff sealing, forwarding, retirement); the behaviour serves
 * what reaches it.
 *
 * <p>Every method but {@link #mergeHandoff} runs on the vnode's actor thread, one message at a
 * time, so the behaviour owns its state without locks. {@code mergeHandoff} runs on the node's
 * {@link BulkPool} while the vnode holds back every request for the batch's keys until the batch is
 * stored, so a request and a handed-off item for the same key still never interleave, and each sees
 * the other's result.
 */
public interface VnodeBehaviour {
  /** Serves a request for this partition; answers (if any) name {@code replyAs}. */
  void serve(ActorContext ctx, VnodeRequest request, String replyAs);

  /**
   * Merges one handed-off object with what the partition holds, and says what to store: the vnode
   * layer writes the merged values of a whole batch to the backend at once, the way the node's
   * {@code handoff.write_path} says ({@link dev.partisan.kv.backend.BulkWriteMode}). Runs on a bulk
   * thread, not the vnode's: it may read the backend and use what is immutable or thread-safe,
   * never the behaviour's own mutable state, and must not write. Its update of that state (hash
   * trees, {@link VnodeLifecycle#written}) is the result's record, which the vnode runs on its own
   * thread once the batch is stored, in item order. Null when the object cannot be stored (the
   * sender's copy is then not lost: it is logged and counted).
   *
   * @throws IllegalArgumentException the item is malformed (it is skipped)
   * @throws BackendException the read failed (the whole batch is refused and resent)
   */
  HandoffMerge mergeHandoff(HandoffItem item);

  /**
   * Deletes the partition's data after its handoff completed.
   *
   * @throws BackendException the data could not be deleted (the handoff is not finished)
   */
  void drop(ActorContext ctx);

  /** True while the behaviour has work under way that must not be cut short by retiring. */
  boolean busy();

  /** The behaviour's part of the vnode's published information. */
  VnodeInfo.Details details();

  /** Handles a message the vnode layer does not know; false if the behaviour does not either. */
  boolean handle(ActorContext ctx, Object message);

  /** Makes the behaviour of one partition's vnode. */
  @FunctionalInterface
  interface Factory {
    VnodeBehaviour create(int partition, VnodeLifecycle vnode);
  }
}
