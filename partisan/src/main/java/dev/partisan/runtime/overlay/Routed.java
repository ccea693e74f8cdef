package dev.partisan.runtime.overlay;

/**
 * A message on its way to a member this node has no connection to. Intermediate nodes read only
 * this envelope; the body stays encoded from origin to destination. Public only so that the
 * runtime's sender can hand it to the transport: {@link RoutedForwarder} alone builds and reads
 * one.
 *
 * @param id unique per origin life, for duplicate suppression
 * @param ttl hops left; the message is dropped when it runs out
 * @param flood true once the message is being flooded (no route, or a route loop was found):
 *     flooded copies are suppressed separately from routed ones, so switching to a flood is never
 *     mistaken for a duplicate
 */
public record Routed(
    String origin,
    long originIncarnation,
    long id,
    String destNode,
    long destIncarnation,
    String destActor,
    String senderActor,
    String channel,
    int ttl,
    boolean flood,
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
        flood,
        typeId,
        body);
  }

  Routed flooding() {
    return new Routed(
        origin,
        originIncarnation,
        id,
        destNode,
        destIncarnation,
        destActor,
        senderActor,
        channel,
        ttl,
        true,
        typeId,
        body);
  }

  String forwardKey() {
    return origin + ":" + originIncarnation + ":" + id + (flood ? ":f" : ":r");
  }

  String deliveryKey() {
    return origin + ":" + originIncarnation + ":" + id + ":d";
  }
}
