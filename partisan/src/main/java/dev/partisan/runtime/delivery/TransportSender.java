package dev.partisan.runtime.delivery;

import static dev.partisan.runtime.overlay.RoutedForwarder.ROUTER;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.Routed;
import dev.partisan.runtime.transport.Envelope;
import dev.partisan.runtime.transport.Transport;

/**
 * The one place that hands messages for other nodes to the transport: to the receiver itself, or in
 * a routed envelope to a neighbour's router. The transport picks the lane and the conflation key
 * from the envelope.
 *
 * <p>Threading: no state of its own; runs on the sending thread (the transport's queues are safe
 * for any thread).
 */
public final class TransportSender {
  private final NodeId self;
  private final Transport transport;

  public TransportSender(NodeId self, Transport transport) {
    this.self = self;
    this.transport = transport;
  }

  SendResult sendRemote(ActorRef to, Object message, SendOptions options, ChannelSpec spec) {
    ActorRef from = options.sender();
    boolean thirdNode = from != null && !from.node().equals(self.name());
    return transport.send(
        to.node(),
        spec,
        new Envelope(
            from == null ? "" : from.name(),
            thirdNode ? from.node() : "",
            thirdNode ? from.incarnation() : 0,
            to.name(),
            to.incarnation(),
            options.partitionKey(),
            true,
            message));
  }

  /**
   * Hands a routed envelope to a neighbour. Routed messages of many origins and destinations share
   * the link to that neighbour, so they are never conflated there (monotonic conflation applies on
   * direct links, where the key is known to mean what its sender meant); the lane key names both
   * ends, so one pair's messages keep one lane and their order.
   */
  public SendResult sendToRouter(String hop, Routed routed, Object laneKey, ChannelSpec spec) {
    return transport.send(hop, spec, new Envelope("", "", 0, ROUTER, 0, laneKey, false, routed));
  }
}
