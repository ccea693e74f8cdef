package dev.partisan.runtime.sim;

import dev.partisan.runtime.NodeId;

/**
 * One message between two simulated nodes, as a frame would carry it (the message object itself:
 * the codec is not simulated).
 *
 * @param from the sending node (what the handshake proved)
 * @param senderActor the sending actor's name on {@code from}, empty if none
 * @param receiverActor the receiving actor's name (or the router's)
 * @param receiverIncarnation the life the sender addressed, 0 for any
 * @param channel the logical channel
 * @param message the message
 */
record SimWire(
    NodeId from,
    String senderActor,
    String receiverActor,
    long receiverIncarnation,
    String channel,
    Object message) {}
