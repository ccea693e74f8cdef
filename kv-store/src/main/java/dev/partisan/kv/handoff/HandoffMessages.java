package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;
import dev.partisan.kv.vnode.HandoffData;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import java.util.Objects;

/**
 * The handoff protocol between the sending node's handoff sender and the receiving node's handoff
 * manager (actor {@code kv-handoff}), on the {@code handoff} channel with the partition index as
 * the partition key. All are wire records (see {@code KvTypes}).
 *
 * <ol>
 *   <li>{@link HandoffStart} asks the receiver for one of its inbound slots; it answers {@link
 *       HandoffStartReply}, with its incarnation: an attempt resumes where an earlier one stopped
 *       only if the same life of the receiver answers (a restarted one may have lost what it was
 *       sent).
 *   <li>{@link HandoffBatch}es carry stored objects as they are on disk (storage key, encoded
 *       object); the receiving vnode applies them and answers {@link HandoffAck} once they are in
 *       its backend. The sender sends the next batch only after that. (These two are the vnode
 *       layer's, {@link HandoffData}: what a vnode applies.)
 *   <li>{@link HandoffCommit}, once every batch is acknowledged: the receiver makes everything it
 *       stored durable (how depends on its {@code handoff.write_path}) and answers {@link
 *       HandoffCommitted}. Only then does the sender delete its copy.
 *   <li>{@link HandoffFinish} releases the slot.
 * </ol>
 */
public final class HandoffMessages {
  private HandoffMessages() {}

  public static final String RECEIVER = "kv-handoff";

  /** Opens an inbound session; {@code id} names it in every later message. */
  public record HandoffStart(long id, int partition, HandoffType type, String from) {
    public HandoffStart {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * @param incarnation the receiver's {@code NodeId.incarnation}, which changes at every start
   */
  public record HandoffStartReply(long id, boolean accepted, String reason, long incarnation) {}

  /** Every batch of the session is acknowledged: make them durable. */
  public record HandoffCommit(long id, int partition) {}

  /** The session's data is durable ({@code ok}), or not ({@code error} says why). */
  public record HandoffCommitted(long id, boolean ok, String error) {}

  /** The session is over (completed or abandoned); no reply. */
  public record HandoffFinish(long id, int partition, boolean completed) {}
}
