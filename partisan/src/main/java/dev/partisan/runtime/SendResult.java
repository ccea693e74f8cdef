package dev.partisan.runtime;

/**
 * Outcome of handing a message to the runtime. Sends never block: when a bound is reached the
 * caller learns it at once and decides (retry, shed load, report overload).
 */
public enum SendResult {
  /** Queued for delivery (remote) or enqueued in the mailbox (local). */
  OK,
  /** On a monotonic channel: queued, replacing an older message with the same key. */
  CONFLATED,
  /** The outbound queue of the connection is at its byte bound. */
  QUEUE_FULL,
  /** The local actor's mailbox is full: the actor is overloaded. */
  MAILBOX_FULL,
  /** No local actor has that name. */
  NO_SUCH_ACTOR,
  /** The destination node is not a known member and has no address. */
  UNKNOWN_NODE,
  /** The reference names a previous life of the destination node. */
  STALE_INCARNATION,
  /** The encoded message exceeds the maximum frame size. */
  TOO_LARGE,
  /** The channel was not declared on this node. */
  UNKNOWN_CHANNEL,
  /** The message type is not registered with the codec. */
  UNREGISTERED_TYPE,
  /** Dropped on purpose by the fault-injection layer. */
  DROPPED_BY_FAULT,
  /** The runtime is shutting down. */
  STOPPED;

  public boolean accepted() {
    return this == OK || this == CONFLATED;
  }
}
