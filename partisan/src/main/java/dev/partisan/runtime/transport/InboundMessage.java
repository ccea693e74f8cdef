package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;

/**
 * A message decoded from the wire, ready for local dispatch.
 *
 * @param from the sending node (authenticated by the handshake)
 * @param channel the logical channel it was sent on
 * @param senderActor name of the sending actor on {@code from}, empty if none
 * @param receiverActor name of the local actor it is for
 * @param receiverIncarnation the incarnation the sender addressed, 0 for any
 * @param message the decoded message
 */
public record InboundMessage(
    NodeId from,
    String channel,
    String senderActor,
    String receiverActor,
    long receiverIncarnation,
    Object message) {}
