package dev.partisan.kv.vnode;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Local messages from this node's handoff and anti-entropy machinery to a vnode (never on the
 * wire). Each is answered with {@code ctx.reply}, so callers use {@code runtime.ask}.
 */
public final class VnodeControl {
  private VnodeControl() {}

  // ---------------------------------------------------------------- handoff (sending side)

  /**
   * Start recording which keys change (the dirty set), for a handoff of this partition to {@code
   * target}. If a handoff to the same target was interrupted, the dirty set recorded since it began
   * is kept, so the handoff may resume. Answered by {@link Ack}.
   */
  public record BeginHandoff(long id, String target) {}

  /** The current dirty set: storage key to a change counter. Answered by {@link DirtyKeys}. */
  public record TakeDirty(long id) {}

  /** Those keys were handed off: forget each one that has not changed again since. */
  public record ConfirmClean(long id, Map<ByteBuffer, Long> keys) {}

  /**
   * Stop serving locally: from now on every request is forwarded to the target. Answered by {@link
   * DirtyKeys} with what is left to send.
   */
  public record Seal(long id) {}

  /** The handoff stopped: serve locally again; with {@code forget}, drop the dirty set too. */
  public record AbortHandoff(long id, boolean forget) {}

  /**
   * The target has everything: delete the partition's data. With {@code forward} (ownership
   * handoff) keep forwarding requests to the target until the ring makes it the owner; otherwise
   * (hinted handoff) retire. Answered by {@link Ack}.
   */
  public record DropHandedOff(long id, boolean forward) {}

  public record DirtyKeys(long id, Map<ByteBuffer, Long> keys) {}

  /** A control request's answer; {@code ok} false when it did not apply (another handoff). */
  public record Ack(long id, boolean ok, String why) {}

  // ---------------------------------------------------------------- anti-entropy

  /** The vnode's hash trees. Answered by {@link Trees}. */
  public record TreesRequest() {}

  /** Copies of the live trees that hold keys, by tree id; {@code built} false until trusted. */
  public record Trees(int partition, boolean built, Map<Long, long[]> trees) {}

  /** One tree (all zero if absent). Answered by {@link Tree}. */
  public record TreeRequest(long treeId) {}

  public record Tree(boolean built, long[] segments) {}

  /** Rebuild the trees from the backend; answered by {@link Ack} when the rebuild is done. */
  public record RebuildTrees() {}

  /** What a vnode publishes about itself for the operator view. */
  public record VnodeInfo(
      int partition,
      String mode,
      boolean treesBuilt,
      long treesBuiltAtMillis,
      long keys,
      List<Long> treeIds) {}
}
