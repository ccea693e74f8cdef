package dev.partisan.runtime;

/**
 * A message on its way to a member this node has no connection to. Intermediate nodes read only
 * this envelope; the body stays encoded from origin to destination.
 *
 * @param id unique per origin life, for duplicate suppression
 * @param ttl hops left; the message is dropped when it runs out
 */
record Routed(
    String origin,
    long originIncarnation,
    long id,
    String destNode,
    long destIncarnation,
    String destActor,
    String senderActor,
    String channel,
    int ttl,
    int typeId,
    byte[] body) {

  Routed hopped() {
    return new Routed(
        origin,
        originIncarnation,
        id,
        destNode,
        destIncarnation,
        destActor,
        senderActor,
        channel,
        ttl - 1,
        typeId,
        body);
  }
}
