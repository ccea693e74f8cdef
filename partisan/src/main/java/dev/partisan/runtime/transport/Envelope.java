package dev.partisan.runtime.transport;

/**
 * One message on its way to a peer: a header (who sends it, to whom, and how it may share a lane)
 * and a body. The runtime builds one per remote send and hands it to {@link Transport#send}; the
 * transport picks the lane from it and the frame encoder writes its header and body into the frame
 * ({@link MessageFrames} shows where). Immutable; it lives only until it is encoded.
 *
 * @param sender name of the sending actor, {@code ""} when none
 * @param senderNode the node the sending actor lives on when it is not this node (a reply-to
 *     address on a third node), else {@code ""}
 * @param senderIncarnation that node's incarnation (0 with no {@code senderNode})
 * @param receiver name of the receiving actor on the peer
 * @param receiverIncarnation the peer's incarnation the message is for, 0 for any
 * @param partitionKey picks the lane, and on monotonic channels is the key whose older queued
 *     message this one replaces; {@code null}: the (sender, receiver) pair
 * @param conflatable whether a monotonic channel may replace this message by a newer one with the
 *     same key while it waits in the queue
 * @param body the message, of a registered type
 */
public record Envelope(
    String sender,
    String senderNode,
    long senderIncarnation,
    String receiver,
    long receiverIncarnation,
    Object partitionKey,
    boolean conflatable,
    Object body) {

  /** The key a monotonic channel conflates on; computed only for such channels. */
  Object conflationKey() {
    return partitionKey != null ? partitionKey : sender + "\0" + receiver;
  }
}
