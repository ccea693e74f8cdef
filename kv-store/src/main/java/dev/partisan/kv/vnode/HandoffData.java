package dev.partisan.kv.vnode;

import java.util.List;
import java.util.Objects;

/**
 * The part of the handoff protocol a vnode takes part in: batches of stored objects it applies and
 * acknowledges to the sender. Wire records (see {@code KvTypes}); the session around them (start,
 * finish) is the handoff package's.
 */
public final class HandoffData {
  private HandoffData() {}

  /** One stored object: its storage key and its encoded form, as the sender's backend holds it. */
  public record HandoffItem(byte[] key, byte[] value) {
    public HandoffItem {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Objects of one partition, applied by the receiving vnode; answered by {@link HandoffAck}. */
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
}
