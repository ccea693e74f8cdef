package dev.partisan.runtime.overlay;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.overlay.OverlayHost.EncodedBody;
import dev.partisan.runtime.transport.InboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routed unicast: wraps a message for a member this node has no connection to in a {@link Routed}
 * envelope, passes envelopes on hop by hop, and unwraps the ones addressed here. Every envelope
 * records its trail; the first copy to reach a node teaches it the way back to the origin ({@link
 * SourceRoutes}), so an answer, and everything after it, travels as a source route that the nodes
 * on the way only follow. Without a known path an envelope takes the overlay's next hop, and
 * without that (or when a loop shows) it is flooded; the copy that arrives first then teaches the
 * path. Envelopes travel to the {@link #ROUTER} name of each hop; this class never touches the
 * transport itself but hands each envelope to a {@link RouterLink}.
 *
 * <p>Threading: called by senders (any thread) and by event loops (envelopes that arrive). The
 * recent-envelope record ({@link SeenEnvelopes}) is guarded by its own monitor, held only for one
 * map operation; the id and drop counters are atomic.
 */
public final class RoutedForwarder {
  private static final Logger log = LoggerFactory.getLogger(RoutedForwarder.class);

  /** The receiver name routed envelopes are sent to; no actor has it. */
  public static final String ROUTER = "$router";

  private static final int RECENT_ROUTED = 65_536;
  private static final int KNOWN_PATHS = 16_384;

  /** Hands an envelope to the router of neighbour {@code hop}, on {@code spec}'s lane for key. */
  @FunctionalInterface
  public interface RouterLink {
    SendResult send(String hop, Routed routed, Object laneKey, ChannelSpec spec);
  }

  private final NodeId self;
  private final BodyCodec bodies;
  private final Overlay overlay;
  private final Map<String, ChannelSpec> channels;
  private final int routeTtl;
  private final RouterLink link;
  private final AtomicLong routedIds = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final SeenEnvelopes seen = new SeenEnvelopes(RECENT_ROUTED);
  private final SourceRoutes paths = new SourceRoutes(KNOWN_PATHS);

  public RoutedForwarder(
      NodeId self,
      BodyCodec bodies,
      Overlay overlay,
      Map<String, ChannelSpec> channels,
      int routeTtl,
      RouterLink link) {
    this.self = self;
    this.bodies = bodies;
    this.overlay = overlay;
    this.channels = channels;
    this.routeTtl = routeTtl;
    this.link = link;
  }

  /** Registers the envelope's wire type (id 6, one of the runtime's own). */
  public static void register(TypeRegistry types) {
    types.register(6, Routed.class);
  }

  /** Routed envelopes that were dropped here (duplicates excepted): TTL, no way on, bad body. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Wraps a message for a member that is not a neighbour; the body stays encoded en route. It goes
   * along the path this node learned to the member if it has one (a source route), else to {@code
   * hops}: the overlay's next hop, or all neighbours to flood.
   */
  public SendResult sendRouted(
      ActorRef to, Object message, SendOptions options, ChannelSpec spec, List<String> hops) {
    if (!bodies.isRegistered(message.getClass())) {
      return SendResult.UNREGISTERED_TYPE;
    }
    EncodedBody body = bodies.encode(message);
    String sender = options.sender() == null ? "" : options.sender().name();
    List<String> path = paths.pathTo(to.node(), overlay.neighbours());
    Routed routed =
        new Routed(
            self.name(),
            self.incarnation(),
            routedIds.incrementAndGet(),
            to.node(),
            to.incarnation(),
            to.name(),
            sender,
            spec.name(),
            routeTtl,
            path == null && hops.size() > 1,
            body.typeId(),
            body.body(),
            List.of(self.name()),
            path == null ? List.of() : path.subList(1, path.size()));
    // A copy coming back round a loop is recognised here, and teaches nothing.
    seen.mark(routed.envelopeId(), SeenEnvelopes.ANY_COPY | routed.copyBit());
    return forwardRouted(
        routed, options.partitionKey(), path == null ? hops : List.of(path.getFirst()));
  }

  /**
   * A message from the wire (event loop). A routed envelope is handled here: the message inside is
   * returned if it is for this node (and not a duplicate), otherwise it is passed on or dropped and
   * the result is null. Any other message is returned as it is.
   */
  public InboundMessage receive(InboundMessage m) {
    if (m.message() instanceof Routed r && m.receiverActor().equals(ROUTER)) {
      return onRouted(r, m.from());
    }
    return m;
  }

  private SendResult forwardRouted(Routed routed, Object key, List<String> hops) {
    ChannelSpec spec = channels.getOrDefault(routed.channel(), defaultChannel());
    // One path per (sender, receiver) pair, so routed pairs keep their order like direct ones.
    Object laneKey =
        key != null
            ? key
            : routed.origin()
                + "/"
                + routed.senderActor()
                + "\0"
                + routed.destNode()
                + "/"
                + routed.destActor();
    SendResult result = SendResult.UNKNOWN_NODE;
    for (String hop : hops) {
      SendResult r = link.send(hop, routed, laneKey, spec);
      if (r.accepted() || result == SendResult.UNKNOWN_NODE) {
        result = r;
      }
    }
    return result;
  }

  private ChannelSpec defaultChannel() {
    return channels.get(ChannelSpec.DEFAULT);
  }

  /** A routed message reached this node: deliver it here or pass it on (event loop). */
  private InboundMessage onRouted(Routed r, NodeId via) {
    boolean forHere = r.destNode().equals(self.name());
    // One look-up answers every duplicate question of this hop.
    int before =
        seen.mark(
            r.envelopeId(),
            SeenEnvelopes.ANY_COPY | (forHere ? SeenEnvelopes.DELIVERED : r.copyBit()));
    if ((before & SeenEnvelopes.ANY_COPY) == 0) {
      // Only the first copy to arrive teaches the way back to its origin: it came the fastest
      // way. Later copies (a flood's, or one round a loop) came the long way.
      paths.learn(r.trail());
      overlay.observedPath(r.origin(), via.name());
    }
    if (forHere) {
      return (before & SeenEnvelopes.DELIVERED) != 0 ? null : deliverRouted(r);
    }
    if ((before & r.copyBit()) != 0) {
      if (!r.flood()) {
        // A routed copy came back: the routes form a loop. Flood instead.
        floodOnward(r.flooding(), via.name());
      }
      return null;
    }
    if (r.ttl() <= 1) {
      dropped.incrementAndGet();
      return null;
    }
    if (r.flood()) {
      floodOnward(r, via.name());
    } else {
      passOn(r, via.name());
    }
    return null;
  }

  /**
   * One hop of a routed (not flooded) envelope: along its source route while that holds, else along
   * a path this node knows, else the overlay's next hop, else a flood.
   */
  private void passOn(Routed r, String cameFrom) {
    Set<String> neighbours = overlay.neighbours();
    List<String> route = r.route();
    String planned = route.isEmpty() ? r.destNode() : route.getFirst();
    if (neighbours.contains(planned)) {
      forwardRouted(r.passedOnBy(self.name(), rest(route)), null, List.of(planned));
      return;
    }
    List<String> known = paths.pathTo(r.destNode(), neighbours);
    if (known != null && !known.getFirst().equals(cameFrom)) {
      forwardRouted(r.passedOnBy(self.name(), rest(known)), null, List.of(known.getFirst()));
      return;
    }
    switch (overlay.route(r.destNode())) {
      case Route.Direct d ->
          forwardRouted(r.passedOnBy(self.name(), List.of()), null, List.of(r.destNode()));
      case Route.Via v -> {
        List<String> hops = new ArrayList<>(v.hops());
        hops.remove(cameFrom);
        hops.remove(r.origin());
        if (hops.size() == 1 && v.hops().size() == 1) {
          forwardRouted(r.passedOnBy(self.name(), List.of()), null, hops);
        } else {
          // No route, or it points back where the message came from (stale): flood.
          floodOnward(r.flooding(), cameFrom);
        }
      }
      case Route.Unreachable u -> dropped.incrementAndGet();
    }
  }

  private static List<String> rest(List<String> path) {
    return path.isEmpty() ? List.of() : path.subList(1, path.size());
  }

  private void floodOnward(Routed r, String cameFrom) {
    if (r.ttl() <= 1) {
      dropped.incrementAndGet();
      return;
    }
    seen.mark(r.envelopeId(), SeenEnvelopes.FLOODED);
    Set<String> neighbours = overlay.neighbours();
    List<String> hops = new ArrayList<>();
    if (neighbours.contains(r.destNode())) {
      hops.add(r.destNode());
    } else {
      for (String n : neighbours) {
        if (!n.equals(cameFrom) && !n.equals(r.origin())) {
          hops.add(n);
        }
      }
    }
    if (hops.isEmpty()) {
      dropped.incrementAndGet();
    } else {
      forwardRouted(r.passedOnBy(self.name(), List.of()), null, hops);
    }
  }

  /** The message inside an envelope for this node, or null if its body does not decode. */
  private InboundMessage deliverRouted(Routed r) {
    Object message;
    try {
      message = bodies.decode(r.typeId(), r.body());
    } catch (CodecException e) {
      dropped.incrementAndGet();
      log.warn("dropping routed message from {}: {}", r.origin(), e.getMessage());
      return null;
    }
    return new InboundMessage(
        new NodeId(r.origin(), "", 0, r.originIncarnation()),
        r.channel(),
        r.senderActor(),
        r.destActor(),
        r.destIncarnation(),
        message);
  }
}
