package dev.partisan.kv.vnode;

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
}
