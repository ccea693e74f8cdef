package dev.partisan.runtime.sim;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.overlay.MembershipEvent;
import dev.partisan.runtime.overlay.Overlay;
import dev.partisan.runtime.overlay.OverlayHost;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.overlay.Overlays;
import dev.partisan.runtime.overlay.Route;
import dev.partisan.runtime.overlay.Routed;
import dev.partisan.runtime.overlay.RoutedForwarder;
import dev.partisan.runtime.transport.InboundMessage;
import java.net.ConnectException;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * One simulated node: the {@link OverlayHost} its production overlay runs against, with the parts
 * of a runtime the overlay reaches through it: actors (run one message at a time, each turn an
 * event), the transport's address book and failure-detector clocks, direct and routed sends. The
 * overlay is built by {@link Overlays#create} and routed unicast goes through a real {@link
 * RoutedForwarder}, exactly as {@code PartisanRuntime} wires them.
 *
 * <p>Threading: the simulation's thread only.
 */
public final class SimNode implements OverlayHost {
  /** Where the virtual clock starts, as System.nanoTime: "never heard" (0) is long ago. */
  static final long CLOCK_ORIGIN = TimeUnit.HOURS.toNanos(1);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Simulation sim;
  private final SimNetwork net;
  private final NodeId self;
  private final SplittableRandom random;
  private final SimScheduler scheduler;
  private final BodyCodec bodies;
  private final int routeTtl;
  private final Overlay overlay;
  private final RoutedForwarder forwarder;
  private final Map<String, Actor> actors = new HashMap<>();
  private final Map<String, CompletableFuture<Object>> asks = new HashMap<>();
  // The transport's address book, by node index (SimNetwork#indexOf): a bit per node, as every node
  // learns every member's address and a set of names would cost ~40 bytes per member per node.
  private final BitSet known = new BitSet();
  private final Map<String, Long> lastHeard = new HashMap<>(); // failure-detector clocks
  private final SimRecorder recorder;
  private long askIds;
  private boolean running = true;
  private boolean leaving;

  SimNode(
      Simulation sim,
      SimNetwork net,
      NodeId self,
      OverlaySettings settings,
      FailureDetection failureDetection,
      Map<String, ChannelSpec> channels,
      BodyCodec bodies,
      SimRecorder recorder) {
    this.sim = sim;
    this.net = net;
    this.self = self;
    this.random = sim.split();
    this.scheduler = new SimScheduler(sim, () -> running);
    this.bodies = bodies;
    this.routeTtl = settings.routeTtl();
    this.recorder = recorder;
    this.overlay = Overlays.create(this, settings, failureDetection);
    this.forwarder =
        new RoutedForwarder(self, bodies, overlay, channels, routeTtl, this::sendToRouter);
    actors.put(SimPings.PROBE, (ctx, message) -> {}); // deliveries are recorded on arrival
    overlay.start();
  }

  public Overlay overlay() {
    return overlay;
  }

  /** Alive and not leaving: a node the measurements expect to be reached. */
  public boolean live() {
    return running && !leaving;
  }

  boolean running() {
    return running;
  }

  /** The process dies: it sends, receives and schedules nothing more. */
  void crash() {
    running = false;
  }

  /** Leaves the cluster the protocol's way, then stops (at most {@code bound} later). */
  void leave(Duration bound) {
    leaving = true;
    overlay.leave().whenComplete((v, err) -> crash());
    sim.after(bound.toNanos(), this::crash);
  }

  /** Sends from the harness, as an application's tell on this node. */
  SendResult send(ActorRef to, Object message) {
    return tell(to, message, SendOptions.DEFAULT);
  }

  // ------------------------------------------------------------------ OverlayHost

  @Override
  public NodeId self() {
    return self;
  }

  @Override
  public ActorRef spawnSystem(String name, Actor actor) {
    actors.put(name, actor);
    return ActorRef.of(self, name);
  }

  @Override
  public SendResult tellDirect(ActorRef to, Object message, SendOptions options) {
    return send(to, message, options, false);
  }

  @Override
  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return send(to, message, options, true);
  }

  @Override
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, String channel) {
    String name = "$ask-" + ++askIds;
    CompletableFuture<Object> reply = new CompletableFuture<>();
    asks.put(name, reply);
    scheduler.schedule(
        () -> {
          if (asks.remove(name) != null) {
            reply.completeExceptionally(new TimeoutException("ask timed out"));
          }
        },
        timeout.toNanos(),
        TimeUnit.NANOSECONDS);
    SendResult r = tell(to, message, SendOptions.on(channel).from(ActorRef.of(self, name)));
    if (!r.accepted() && asks.remove(name) != null) {
      reply.completeExceptionally(new IllegalStateException("ask not sent: " + r));
    }
    return reply;
  }

  /** Dials an address: the node there, if it is up, proves its identity one round trip later. */
  @Override
  public CompletableFuture<NodeId> probe(String host, int port) {
    CompletableFuture<NodeId> proved = new CompletableFuture<>();
    SimNode there = net.at(host + ":" + port);
    if (there == null || !there.running) {
      sim.after(
          CONNECT_TIMEOUT.toNanos(),
          () -> proved.completeExceptionally(new ConnectException("no node at " + host)));
    } else {
      sim.after(
          net.roundTripNanos(),
          () -> {
            if (running && there.running) {
              there.known.set(net.indexOf(self.name()));
              proved.complete(there.self);
            } else {
              proved.completeExceptionally(new ConnectException("connection lost"));
            }
          });
    }
    return proved;
  }

  @Override
  public void learn(NodeId peer) {
    if (!peer.sameNode(self)) {
      setKnown(peer.name(), true);
    }
  }

  private void setKnown(String peer, boolean on) {
    int i = net.indexOf(peer);
    if (i >= 0) {
      known.set(i, on);
    }
  }

  private boolean isKnown(String peer) {
    int i = net.indexOf(peer);
    return i >= 0 && known.get(i);
  }

  @Override
  public void forget(String peer) {
    setKnown(peer, false);
    lastHeard.remove(peer);
  }

  @Override
  public void disconnect(String peer) {
    // Connections are not simulated: the peer stays known and is dialed again on the next send.
  }

  @Override
  public long lastHeardNanos(String peer) {
    return lastHeard.getOrDefault(peer, 0L);
  }

  @Override
  public void touch(String peer) {
    lastHeard.put(peer, nanoTime());
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public long nanoTime() {
    return CLOCK_ORIGIN + sim.now();
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public void membershipChanged(MembershipEvent event) {
    // Monitors are not simulated.
  }

  @Override
  public EncodedBody encode(Object message) {
    return bodies.encode(message);
  }

  @Override
  public void deliverBroadcast(String origin, String actor, int typeId, byte[] body) {
    if (!actors.containsKey(actor)) {
      return;
    }
    try {
      Object message = bodies.decode(typeId, body);
      sim.after(0, () -> deliverLocal(actor, message, null, ChannelSpec.MEMBERSHIP, 0));
    } catch (CodecException e) {
      recorder.actorFailed(this, e);
    }
  }

  // ------------------------------------------------------------------ the send path

  /** As the runtime's Outbound: local, direct, or routed as the overlay's route says. */
  private SendResult send(ActorRef to, Object message, SendOptions options, boolean mayRoute) {
    if (!running) {
      return SendResult.STOPPED;
    }
    if (to.node().equals(self.name())) {
      return tellLocal(to, message, options);
    }
    if (!mayRoute) {
      return sendRemote(to, message, options);
    }
    return switch (overlay.route(to.node())) {
      case Route.Direct d -> sendRemote(to, message, options);
      case Route.Via via ->
          forwarder.sendRouted(to, message, options, channelOf(options), via.hops());
      case Route.Unreachable u -> SendResult.UNKNOWN_NODE;
    };
  }

  private ChannelSpec channelOf(SendOptions options) {
    return net.channels().get(options.channel());
  }

  private SendResult tellLocal(ActorRef to, Object message, SendOptions options) {
    if (actors.containsKey(to.name())) {
      sim.after(0, () -> deliverLocal(to.name(), message, options.sender(), options.channel(), 0));
      return SendResult.OK;
    }
    CompletableFuture<Object> ask = asks.remove(to.name());
    if (ask != null) {
      ask.complete(message);
      return SendResult.OK;
    }
    return SendResult.NO_SUCH_ACTOR;
  }

  private SendResult sendRemote(ActorRef to, Object message, SendOptions options) {
    if (!isKnown(to.node())) {
      return SendResult.UNKNOWN_NODE;
    }
    ActorRef from = options.sender();
    net.send(
        this,
        to.node(),
        new SimWire(
            self,
            from == null ? "" : from.name(),
            to.name(),
            to.incarnation(),
            options.channel(),
            message));
    return SendResult.OK;
  }

  /** The forwarder's link: an envelope to a neighbour's router. */
  private SendResult sendToRouter(String hop, Routed routed, Object laneKey, ChannelSpec spec) {
    if (!running) {
      return SendResult.STOPPED;
    }
    if (!isKnown(hop)) {
      return SendResult.UNKNOWN_NODE;
    }
    net.send(this, hop, new SimWire(self, "", RoutedForwarder.ROUTER, 0, spec.name(), routed));
    return SendResult.OK;
  }

  // ------------------------------------------------------------------ the receive path

  /** A message arrived over the network (a delivery event): as the transport, then delivery. */
  void receive(SimWire w) {
    String peer = w.from().name();
    lastHeard.put(peer, nanoTime()); // every frame is a sign of life
    setKnown(peer, true); // the handshake taught us where it is
    if (w.message() instanceof Routed r && w.receiverActor().equals(RoutedForwarder.ROUTER)) {
      int hops = routeTtl - r.ttl() + 1;
      InboundMessage in =
          forwarder.receive(
              new InboundMessage(w.from(), w.channel(), "", RoutedForwarder.ROUTER, 0, r));
      if (in != null) {
        ActorRef sender =
            in.senderActor().isEmpty()
                ? null
                : new ActorRef(in.senderNode(), in.senderIncarnation(), in.senderActor());
        deliverLocal(in.receiverActor(), in.message(), sender, in.channel(), hops);
      }
      return;
    }
    if (w.receiverIncarnation() != ActorRef.ANY_INCARNATION
        && w.receiverIncarnation() != self.incarnation()) {
      return; // addressed to a previous life
    }
    ActorRef sender =
        w.senderActor().isEmpty()
            ? null
            : new ActorRef(peer, w.from().incarnation(), w.senderActor());
    deliverLocal(w.receiverActor(), w.message(), sender, w.channel(), 1);
  }

  /** One turn of a local actor, or the completion of an ask. {@code hops}: 0 for local sends. */
  private void deliverLocal(
      String name, Object message, ActorRef sender, String channel, int hops) {
    if (!running) {
      return;
    }
    Actor actor = actors.get(name);
    if (actor == null) {
      CompletableFuture<Object> ask = asks.remove(name);
      if (ask != null) {
        ask.complete(message);
      }
      return;
    }
    if (name.equals(SimPings.PROBE)) {
      recorder.probeReceived(this, message, hops);
    }
    try {
      actor.receive(new SimContext(this, ActorRef.of(self, name), sender, channel), message);
    } catch (Exception | Error e) {
      recorder.actorFailed(this, e); // the runtime logs and carries on
    }
  }

  /** A message an actor scheduled for itself ({@link SimContext#schedule}). */
  void deliverScheduled(String actor, Object message) {
    deliverLocal(actor, message, null, ChannelSpec.DEFAULT, 0);
  }

  void stopActor(String name) {
    actors.remove(name);
  }

  SimScheduler timers() {
    return scheduler;
  }

  @Override
  public String toString() {
    return self.toString();
  }
}
