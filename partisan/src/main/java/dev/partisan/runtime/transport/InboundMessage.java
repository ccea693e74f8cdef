package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import io.netty.util.ReferenceCounted;

/**
 * A message decoded from the wire, ready for local dispatch.
 *
 * <p>A message decoded from a large frame may hold slices of it ({@code SharedBytes}); then {@code
 * lease} is the frame, retained once for this message, and exactly one party releases it: the
 * runtime once the receiving actor has handled the message, or whoever drops it on the way. Whoever
 * delivers one message twice (a duplicating fault) takes one more hold with {@link #retain()}
 * first.
 *
 * @param from the sending node (authenticated by the handshake)
 * @param channel the logical channel it was sent on
 * @param senderActor name of the sending actor, empty if none
 * @param senderNode the node the sending actor lives on: {@code from} unless the sender named an
 *     actor on a third node as the one replies go to
 * @param senderIncarnation that node's incarnation ({@code from}'s, or the one the sender named)
 * @param receiverActor name of the local actor it is for
 * @param receiverIncarnation the incarnation the sender addressed, 0 for any
 * @param message the decoded message
 * @param lease what keeps the message's slices valid, or null when it has none
 */
public record InboundMessage(
    NodeId from,
    String channel,
    String senderActor,
    String senderNode,
    long senderIncarnation,
    String receiverActor,
    long receiverIncarnation,
    Object message,
    ReferenceCounted lease) {

  /** A message whose sending actor, if any, lives on {@code from}, with nothing to release. */
  public InboundMessage(
      NodeId from,
      String channel,
      String senderActor,
      String receiverActor,
      long receiverIncarnation,
      Object message) {
    this(
        from,
        channel,
        senderActor,
        from.name(),
        from.incarnation(),
        receiverActor,
        receiverIncarnation,
        message,
        null);
  }

  /** One more hold on the lease, for one more delivery of this message; returns this. */
  public InboundMessage retain() {
    if (lease != null) {
      lease.retain();
    }
    return this;
  }

  /** Gives up this delivery's hold on the lease: the message was handled or dropped. */
  public void release() {
    if (lease != null) {
      lease.release();
    }
  }
}
