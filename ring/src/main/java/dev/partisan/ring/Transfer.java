package dev.partisan.ring;

import java.util.Objects;

/**
 * A pending change of owner for one partition. The old owner keeps serving the partition (it stays
 * in {@link RingState#owner}) until the transfer is complete and the claimant finalises it, so
 * reads never go to a node that has not received the data yet.
 *
 * @param partition the partition index
 * @param from the current owner, which hands the data off
 * @param to the owner once the transfer is finalised
 * @param state how far the handoff has got
 */
public record Transfer(int partition, String from, String to, TransferState state) {
  public Transfer {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(state, "state");
    if (partition < 0) {
      throw new IllegalArgumentException("negative partition " + partition);
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException(
          "transfer of partition " + partition + " from " + from + " to itself");
    }
  }

  public Transfer withState(TransferState newState) {
    return newState == state ? this : new Transfer(partition, from, to, newState);
  }

  /** Whether {@code other} moves the same partition between the same nodes, whatever its state. */
  public boolean sameMove(Transfer other) {
    return partition == other.partition && from.equals(other.from) && to.equals(other.to);
  }
}
