package dev.partisan.kv.vnode;

import java.util.function.Supplier;

/**
 * The generic vnode as its {@link VnodeBehaviour} sees it: what the behaviour reports back to the
 * lifecycle. Called on the vnode's actor thread only.
 */
public interface VnodeLifecycle {
  /**
   * The behaviour changed the object stored under {@code storageKey} (written or deleted). While
   * the partition is handed off, the key is recorded so the sender sends it again.
   */
  void written(byte[] storageKey);

  /** The behaviour's published {@link VnodeInfo.Details} changed: publish again. */
  void detailsChanged();

  /** True unless the partition is sealed for handoff or handed off (requests go elsewhere). */
  boolean serving();

  /**
   * Runs {@code work} on the node's bulk pool; its result comes back to the vnode as a message for
   * the behaviour's {@link VnodeBehaviour#handle} (held back, like every message that is not a
   * request, while a handoff batch is applied). The work must not throw, nor touch the behaviour's
   * mutable state. False when the node is closing (nothing runs).
   */
  boolean runBulk(Supplier<Object> work);
}
