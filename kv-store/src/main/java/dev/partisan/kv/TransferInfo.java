package dev.partisan.kv;

import java.time.Instant;

/**
 * One handoff as the operator view shows it (riak-admin transfers): a partition's data moving
 * between two nodes, seen from one end.
 *
 * @param partition the partition index
 * @param from the sending node
 * @param to the receiving node
 * @param type ownership (ring change) or hinted (fallback returning data)
 * @param direction whether this node sends or receives it
 * @param phase where the transfer is: {@code opening}, {@code folding} (sending the partition),
 *     {@code delta} (sending keys written meanwhile), {@code sealing}, {@code final}, {@code
 *     committing} (the receiver makes it durable), {@code dropping}, then {@code done} or {@code
 *     failed}; inbound transfers show {@code receiving}, then {@code committing}
 * @param objects objects sent (outbound) or received (inbound) so far
 * @param bytes bytes of those objects (keys plus encoded values)
 * @param objectsPerSecond average rate since the transfer started
 * @param bytesPerSecond average rate since the transfer started
 * @param startedAt when this attempt started
 * @param attempt 1 for the first attempt, more after failures
 * @param lastError why the previous attempt (or this one, when failed) stopped; null if none
 */
public record TransferInfo(
    int partition,
    String from,
    String to,
    HandoffType type,
    Direction direction,
    String phase,
    long objects,
    long bytes,
    double objectsPerSecond,
    double bytesPerSecond,
    Instant startedAt,
    int attempt,
    String lastError) {

  /** Which end of the transfer this node is. */
  public enum Direction {
    OUTBOUND,
    INBOUND
  }
}
