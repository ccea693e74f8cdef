package dev.partisan.runtime.delivery;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.ActorTable;
import dev.partisan.runtime.actor.MailboxItem;
import dev.partisan.runtime.ask.PendingAsks;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.RoutedForwarder;
import dev.partisan.runtime.transport.InboundMessage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands messages to this node's actors or pending asks: those sent on this node (no codec, no
 * network) and those that arrived from the wire, after the fault gate. Routed envelopes go to the
 * forwarder first; the ones for this node come back unwrapped.
 *
 * <p>Threading: no state but the atomic count of messages received and not delivered; runs on the
 * sending thread or the event loop.
 */
public final class LocalDelivery {
  private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

  private final NodeId self;
  private final ActorTable actors;
  private final PendingAsks asks;
  private final RoutedForwarder forwarder;
  private final BodyCodec bodies;
  private final AtomicLong droppedInbound = new AtomicLong();

  /**
   * @param bodies copies a received message out of its frame when it completes an ask
   */
  public LocalDelivery(
      NodeId self,
      ActorTable actors,
      PendingAsks asks,
      RoutedForwarder forwarder,
      BodyCodec bodies) {
    this.self = self;
    this.actors = actors;
    this.asks = asks;
    this.forwarder = forwarder;
    this.bodies = bodies;
  }

  /** Messages received but not delivered (unknown actor, previous life, full mailbox, routing). */
  public long droppedInbound() {
    return droppedInbound.get() + forwarder.dropped();
  }

  /** A message sent on this node to one of its actors (the sender's thread). */
  SendResult tell(ActorRef to, Object message, SendOptions options) {
    if (to.incarnation() != ActorRef.ANY_INCARNATION && to.incarnation() != self.incarnation()) {
      return SendResult.STALE_INCARNATION;
    }
    ActorCell cell = actors.get(to.name());
    if (cell == null) {
      return asks.complete(to.name(), message) ? SendResult.OK : SendResult.NO_SUCH_ACTOR;
    }
    return cell.enqueue(new MailboxItem(message, options.sender(), options.channel()));
  }

  /**
   * A message from the wire, past the fault gate (event loop, or the timer if it was delayed). It
   * comes with its hold on its frame, if it has one (see {@link InboundMessage}): a message that is
   * not queued is released here, a queued one by its mailbox once handled.
   */
  public void deliver(InboundMessage in) {
    InboundMessage m = forwarder.receive(in);
    if (m != in) {
      in.release(); // a routed envelope: passed on, dropped, or unwrapped into a copy
    }
    if (m == null) {
      return;
    }
    if (m.receiverIncarnation() != ActorRef.ANY_INCARNATION
        && m.receiverIncarnation() != self.incarnation()) {
      droppedInbound.incrementAndGet();
      m.release();
      return; // addressed to a previous life of this node
    }
    ActorCell cell = actors.get(m.receiverActor());
    if (cell == null) {
      if (asks.isReplyAddress(m.receiverActor())) {
        // A future has no turn after which its message could be released: it gets a copy.
        asks.complete(
            m.receiverActor(), m.lease() == null ? m.message() : bodies.copy(m.message()));
      } else {
        droppedInbound.incrementAndGet();
        log.debug("no actor '{}' for message from {}", m.receiverActor(), m.from());
      }
      m.release();
      return;
    }
    ActorRef sender =
        m.senderActor().isEmpty()
            ? null
            : new ActorRef(m.senderNode(), m.senderIncarnation(), m.senderActor());
    SendResult r =
        cell.enqueueReceived(new MailboxItem(m.message(), sender, m.channel(), m.lease()));
    if (r == SendResult.MAILBOX_FULL) {
      droppedInbound.incrementAndGet();
      asks.mailboxFull(sender, cell.self(), m.channel());
    }
  }
}
