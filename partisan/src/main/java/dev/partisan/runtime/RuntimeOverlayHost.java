package dev.partisan.runtime;

import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.ActorTable;
import dev.partisan.runtime.actor.MailboxItem;
import dev.partisan.runtime.actor.Messenger;
import dev.partisan.runtime.ask.PendingAsks;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.monitor.Monitors;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.MembershipEvent;
import dev.partisan.runtime.overlay.OverlayHost;
import dev.partisan.runtime.overlay.PeerClocks;
import dev.partisan.runtime.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the overlay may use of its node, and nothing more: the application never sees these
 * operations (learn, forget, direct sends, failure-detector clocks).
 *
 * <p>Threading: no state of its own; called from the overlay's actor and its timers.
 */
final class RuntimeOverlayHost implements OverlayHost {
  private static final Logger log = LoggerFactory.getLogger(RuntimeOverlayHost.class);

  private final NodeId self;
  private final ActorTable actors;
  private final Executor actorExecutor;
  private final Messenger send;
  private final Messenger sendDirect;
  private final PendingAsks asks;
  private final Monitors monitors;
  private final Transport transport;
  private final PeerClocks clocks;
  private final BodyCodec bodies;
  private final ScheduledExecutorService timers;

  /**
   * @param send the node's send path (may route)
   * @param sendDirect the same, never routed
   */
  RuntimeOverlayHost(
      NodeId self,
      ActorTable actors,
      Executor actorExecutor,
      Messenger send,
      Messenger sendDirect,
      PendingAsks asks,
      Monitors monitors,
      Transport transport,
      PeerClocks clocks,
      BodyCodec bodies,
      ScheduledExecutorService timers) {
    this.self = self;
    this.actors = actors;
    this.actorExecutor = actorExecutor;
    this.send = send;
    this.sendDirect = sendDirect;
    this.asks = asks;
    this.monitors = monitors;
    this.transport = transport;
    this.clocks = clocks;
    this.bodies = bodies;
    this.timers = timers;
  }

  @Override
  public NodeId self() {
    return self;
  }

  /** System actors are never refused for a full mailbox: the node's own upkeep must go on. */
  @Override
  public ActorRef spawnSystem(String name, Actor actor) {
    return actors.spawn(name, actor, Integer.MAX_VALUE, actorExecutor);
  }

  @Override
  public SendResult tellDirect(ActorRef to, Object message, SendOptions options) {
    return sendDirect.tell(to, message, options);
  }

  @Override
  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return send.tell(to, message, options);
  }

  @Override
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, String channel) {
    return asks.ask(to, message, timeout, SendOptions.on(channel));
  }

  @Override
  public CompletableFuture<NodeId> probe(String host, int port) {
    return transport.probe(host, port);
  }

  @Override
  public void learn(NodeId peer) {
    transport.learn(peer);
  }

  @Override
  public void forget(String peer) {
    transport.forget(peer);
    clocks.forget(peer);
  }

  @Override
  public void disconnect(String peer) {
    transport.disconnect(peer);
  }

  @Override
  public long lastHeardNanos(String peer) {
    return clocks.lastHeardNanos(peer);
  }

  @Override
  public void touch(String peer) {
    clocks.touch(peer);
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return timers;
  }

  @Override
  public void membershipChanged(MembershipEvent event) {
    monitors.membershipChanged(event);
  }

  @Override
  public EncodedBody encode(Object message) {
    return bodies.encode(message);
  }

  @Override
  public void deliverBroadcast(String origin, String actor, int typeId, byte[] body) {
    ActorCell cell = actors.get(actor);
    if (cell == null) {
      return;
    }
    try {
      Object message = bodies.decode(typeId, body);
      cell.enqueue(new MailboxItem(message, null, ChannelSpec.MEMBERSHIP));
    } catch (CodecException e) {
      log.warn("dropping broadcast from {}: {}", origin, e.getMessage());
    }
  }
}
