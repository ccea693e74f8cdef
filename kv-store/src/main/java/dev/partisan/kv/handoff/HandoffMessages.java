package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffType;
import java.util.List;
import java.util.Objects;

/**
 * The handoff protocol between the sending node's handoff sender and the receiving node's handoff
 * manager (actor {@code kv-handoff}), on the {@code handoff} channel with the partition index as
 * the partition key. All are wire records (see {@code KvTypes}).
 *
 * <ol>
 *   <li>{@link HandoffStart} asks the receiver for one of its inbound slots; it answers {@link
 *       HandoffStartReply}.
 *   <li>{@link HandoffBatch}es carry stored objects as they are on disk (storage key, encoded
 *       object); the receiving vnode merges them and answers {@link HandoffAck} once they are in
 *       its backend. The sender sends the next batch only after that.
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

  public record HandoffStartReply(long id, boolean accepted, String reason) {}

  /** One stored object: its storage key and its encoded form. */
  public record HandoffItem(byte[] key, byte[] value) {
    public HandoffItem {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Objects of one partition, merged by the receiving vnode; answered by {@link HandoffAck}. */
  public record HandoffBatch(long id, int partition, long seq, List<HandoffItem> items) {
    public HandoffBatch {
      items = List.copyOf(items);
    }

    public long bytes() {
      long n = 0;
      for (HandoffItem i : items) {
        n += i.key().length + i.value().length;
      }
      return n;
    }
  }

  /** The batch {@code seq} is stored ({@code ok}), or was refused ({@code error} says why). */
  public record HandoffAck(long id, long seq, boolean ok, String error) {}

  /** The session is over (completed or abandoned); no reply. */
  public record HandoffFinish(long id, int partition, boolean completed) {}
}
