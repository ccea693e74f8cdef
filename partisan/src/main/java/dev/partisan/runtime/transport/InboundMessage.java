package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;

/**
 * A message decoded from the wire, ready for local dispatch.
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
 */
public record InboundMessage(
    NodeId from,
    String channel,
    String senderActor,
    String senderNode,
    long senderIncarnation,
    String receiverActor,
    long receiverIncarnation,
    Object message) {

  /** A message whose sending actor, if any, lives on {@code from}. */
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
        message);
  }
}
