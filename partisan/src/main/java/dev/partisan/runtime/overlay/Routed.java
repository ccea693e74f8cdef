package dev.partisan.runtime.overlay;

import java.util.ArrayList;
import java.util.List;

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
 * @param trail the origin, then every node that passed this copy on: reversed, the way back
 * @param route the hops still to take before the destination (a source route), or empty when each
 *     hop decides
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
    byte[] body,
    List<String> trail,
    List<String> route) {

  public Routed {
    trail = trail == null ? List.of() : List.copyOf(trail);
    route = route == null ? List.of() : List.copyOf(route);
  }

  /** This copy passed on by {@code hop} ({@code self}), one hop less, along {@code nextRoute}. */
  Routed passedOnBy(String hop, List<String> nextRoute) {
    List<String> longer = new ArrayList<>(trail.size() + 1);
    longer.addAll(trail);
    longer.add(hop);
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
        body,
        longer,
        nextRoute);
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
        body,
        trail,
        List.of());
  }

  /** This envelope, whichever copy: the key of {@link SeenEnvelopes}. */
  SeenEnvelopes.Id envelopeId() {
    return new SeenEnvelopes.Id(origin, originIncarnation, id);
  }

  /** The {@link SeenEnvelopes} bit of this kind of copy: routed and flooded copies apart. */
  int copyBit() {
    return flood ? SeenEnvelopes.FLOODED : SeenEnvelopes.ROUTED;
  }
}
