package dev.partisan.runtime.delivery;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.interpose.FaultGate;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.Overlay;
import dev.partisan.runtime.overlay.Route;
import dev.partisan.runtime.overlay.RoutedForwarder;
import java.util.Map;
import java.util.function.Function;

/**
 * The send path of one message: to a local actor, or through the fault gate to another node,
 * directly or (when the overlay says so) routed through neighbours.
 *
 * <p>Threading: no state of its own; runs on the sending thread, never blocks.
 */
public final class Outbound {
  private final NodeId self;
  private final Map<String, ChannelSpec> channels;
  private final Function<String, NodeId> addressBook;
  private final FaultGate faults;
  private final Overlay overlay;
  private final RoutedForwarder forwarder;
  private final TransportSender remote;
  private final LocalDelivery local;
  private final BodyCodec bodies;

  /**
   * @param addressBook the newest known identity of a node, or null
   * @param bodies copies a message whose send a fault rule delays beyond the sender's turn
   */
  public Outbound(
      NodeId self,
      Map<String, ChannelSpec> channels,
      Function<String, NodeId> addressBook,
      FaultGate faults,
      Overlay overlay,
      RoutedForwarder forwarder,
      TransportSender remote,
      LocalDelivery local,
      BodyCodec bodies) {
    this.self = self;
    this.channels = channels;
    this.addressBook = addressBook;
    this.faults = faults;
    this.overlay = overlay;
    this.forwarder = forwarder;
    this.remote = remote;
    this.local = local;
    this.bodies = bodies;
  }

  /**
   * Sends one message. {@code mayRoute} is false for overlay maintenance, which must not be routed
   * since the routes are what it maintains.
   */
  public SendResult send(ActorRef to, Object message, SendOptions options, boolean mayRoute) {
    if (to.node().equals(self.name())) {
      return local.tell(to, message, options);
    }
    ChannelSpec spec = channels.get(options.channel());
    if (spec == null) {
      return SendResult.UNKNOWN_CHANNEL;
    }
    NodeId known = addressBook.apply(to.node());
    if (known != null
        && to.incarnation() != ActorRef.ANY_INCARNATION
        && known.incarnation() > to.incarnation()) {
      return SendResult.STALE_INCARNATION;
    }
    if (faults.isActive()) {
      Interposition.Action action = faults.outbound(to.node(), spec.name(), message);
      if (action != null) {
        // A delayed send encodes after the sender's turn, when received bytes it forwards may be
        // released (see SharedBytes): it sends a copy.
        Object sent =
            action instanceof Interposition.Delay && bodies.isRegistered(message.getClass())
                ? bodies.copy(message)
                : message;
        return faults.apply(action, () -> sendOut(to, sent, options, spec, mayRoute));
      }
    }
    return sendOut(to, message, options, spec, mayRoute);
  }

  private SendResult sendOut(
      ActorRef to, Object message, SendOptions options, ChannelSpec spec, boolean mayRoute) {
    if (!mayRoute) {
      return remote.sendRemote(to, message, options, spec);
    }
    return switch (overlay.route(to.node())) {
      case Route.Direct d -> remote.sendRemote(to, message, options, spec);
      case Route.Via via -> forwarder.sendRouted(to, message, options, spec, via.hops());
      case Route.Unreachable u -> SendResult.UNKNOWN_NODE;
    };
  }
}
