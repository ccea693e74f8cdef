package dev.partisan.kv.vnode;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Local messages that drive a vnode's handoff states, from this node's handoff sender (never on the
 * wire). Each is answered with {@code ctx.reply}, so callers use {@code ask}.
 */
public final class VnodeControl {
  private VnodeControl() {}

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
}
