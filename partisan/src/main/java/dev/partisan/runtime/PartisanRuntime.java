package dev.partisan.runtime;

import dev.partisan.runtime.actor.ActorTable;
import dev.partisan.runtime.ask.PendingAsks;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.OsThreadPriority;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.delivery.DeliveryFailures;
import dev.partisan.runtime.delivery.LocalDelivery;
import dev.partisan.runtime.delivery.Outbound;
import dev.partisan.runtime.delivery.TransportSender;
import dev.partisan.runtime.interpose.FaultGate;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.monitor.Monitors;
import dev.partisan.runtime.overlay.BodyCodec;
import dev.partisan.runtime.overlay.Overlay;
import dev.partisan.runtime.overlay.OverlayHost;
import dev.partisan.runtime.overlay.OverlayHost.EncodedBody;
import dev.partisan.runtime.overlay.Overlays;
import dev.partisan.runtime.overlay.PeerClocks;
import dev.partisan.runtime.overlay.RoutedForwarder;
import dev.partisan.runtime.transport.Cluster;
import dev.partisan.runtime.transport.InboundMessage;
import dev.partisan.runtime.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the actor runtime: actors with mailboxes, addressed by (node, name), talking over
 * authenticated TCP on named channels, on the overlay the configuration picks.
 *
 * <p>A façade: it builds the node's parts, wires them together (each gets only what it needs), and
 * is what the application sees of its node. The transport hands what it receives to the {@link
 * FaultGate}; the overlay sees the node as an {@link OverlayHost}. The work is done by the parts:
 * {@link ActorTable} (local actors), {@link Outbound} and {@link LocalDelivery} (the send and
 * receive paths), {@link RoutedForwarder}, {@link PendingAsks}, {@link Monitors}, {@link
 * PeerClocks} and {@link RuntimeThreads}. docs/runtime.md maps them and says which thread owns
 * what.
 *
 * <p>Threading: the façade's own state is final after construction, except the closed flag.
 */
public final class PartisanRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartisanRuntime.class);
  private static final AtomicLong lastIncarnation = new AtomicLong();

  private final RuntimeConfig config;
  private final TypeRegistry types = new TypeRegistry();
  private final BodyCodec bodies = new BodyCodec(types);
  private final Interposition interposition = new Interposition();
  private final DeliveryFailures deliveryFailures = new DeliveryFailures();
  private final RuntimeThreads threads;
  private final NodeId self;
  private final int listenPort; // the bound port; self's port is the advertised one
  private final Transport transport;
  private final ActorTable actors;
  private final PendingAsks asks;
  private final Monitors monitors;
  private final OverlayHost host;
  private final Overlay overlay;
  private final LocalDelivery local;
  private final Outbound outbound;
  private final ScheduledFuture<?> housekeeping;
  // The transport delivers from the moment it binds, before the parts it delivers to exist: until
  // the constructor publishes them here, what arrives is counted and dropped, as for an actor that
  // does not exist yet. Written once by the constructor, read by event loops.
  private volatile LocalDelivery inbound;
  private final AtomicLong droppedWhileStarting = new AtomicLong();
  private volatile boolean closed;

  private PartisanRuntime(RuntimeConfig config, Consumer<TypeRegistry> registrations)
      throws InterruptedException {
    this.config = config;
    SystemMessages.register(types);
    registrations.accept(types);
    this.threads =
        new RuntimeThreads(
            config.nodeName(),
            config.executors(),
            !config.transport().baseline()
                && config.channels().values().stream().anyMatch(ChannelSpec::isBulk));
    EventLoopGroup group = threads.eventLoopGroup();
    // Everything received passes the fault gate first, then goes to parts made further down.
    PeerClocks clocks = new PeerClocks();
    FaultGate faults =
        new FaultGate(interposition, config.nodeName(), scheduler(), this::received, clocks::heard);
    long incarnation =
        lastIncarnation.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis()));
    // Our identity is the advertised address (peers dial it; it may be a proxy's), the socket
    // binds the listen address. Not advertising a port means the listen port, and port 0 "the
    // bound port": the transport completes it. The listen port must be in the identity from the
    // start (not left at 0 until bind), as before advertising existed: a static overlay restarted
    // on fixed ports lost a member when it was not.
    int advertisedPort = config.advertisePort() != 0 ? config.advertisePort() : config.port();
    Transport t =
        new Transport(
            new NodeId(config.nodeName(), config.advertisedHost(), advertisedPort, incarnation),
            new Cluster(config.clusterName(), config.clusterSecret(), config.channels()),
            config.transport(),
            types,
            faults,
            group,
            threads.bulkEventLoopGroup(),
            threads.transportKind());
    this.listenPort = t.bind(config.host(), config.port());
    this.self = t.self();
    this.transport = t;
    transport.onGiveUp(deliveryFailures);
    this.actors = new ActorTable(self, MessageContext.invoker(this), this::tell);
    this.asks = new PendingAsks(self, scheduler(), this::tell);
    this.monitors = new Monitors(self, actors, this::tell, this::isUp);
    spawn(Monitors.ACTOR, monitors.actor());
    this.host =
        new RuntimeOverlayHost(
            self,
            actors,
            threads.actorExecutor(),
            this::tell,
            this::tellDirect,
            asks,
            monitors,
            transport,
            clocks,
            bodies,
            scheduler());
    this.overlay = Overlays.create(host, config.overlay(), config.failureDetection());
    TransportSender sender = new TransportSender(self, transport);
    RoutedForwarder forwarder =
        new RoutedForwarder(
            self,
            bodies,
            overlay,
            config.channels(),
            config.overlay().routeTtl(),
            sender::sendToRouter);
    this.local = new LocalDelivery(self, actors, asks, forwarder, bodies);
    this.outbound =
        new Outbound(
            self,
            config.channels(),
            transport::address,
            faults,
            overlay,
            forwarder,
            sender,
            local,
            bodies);
    this.inbound = local;
    overlay.start();
    this.housekeeping = scheduler().scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS);
    log.info(
        "node {} started ({} overlay{})",
        self,
        config.overlay().kind(),
        config.transport().baseline() ? ", baseline" : "");
    if (separatesBulkTraffic()) {
      OsThreadPriority.Probe priorities = OsThreadPriority.probe();
      if (priorities.bulkRunsLower()) {
        log.info("node {}: {}", self, priorities.describe());
      } else {
        log.warn("node {}: {}", self, priorities.describe());
      }
    }
  }

  /** Starts a node; {@code registrations} registers the application's message types. */
  public static PartisanRuntime start(RuntimeConfig config, Consumer<TypeRegistry> registrations) {
    try {
      return new PartisanRuntime(config, registrations);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }

  public static PartisanRuntime start(RuntimeConfig config) {
    return start(config, t -> {});
  }

  // ---------------------------------------------------------------- identity and configuration

  /** This node's identity: the address peers dial (the advertised one, see {@link #listenPort}). */
  public NodeId self() {
    return self;
  }

  /**
   * The port the node's server socket is bound to (on {@code config().host()}): the same as {@code
   * self().port()} unless the node advertises another address ({@code
   * RuntimeConfig.Builder.advertise}).
   */
  public int listenPort() {
    return listenPort;
  }

  public RuntimeConfig config() {
    return config;
  }

  public TypeRegistry types() {
    return types;
  }

  public Overlay overlay() {
    return overlay;
  }

  /**
   * Whether {@code node} can be counted on right now: this node always is; any other node is up
   * when the overlay's failure detector says so. The one definition every "is this replica
   * reachable" decision uses.
   */
  public boolean isUp(String node) {
    return node.equals(self.name()) || overlay.isUp(node);
  }

  /**
   * Whether bulk traffic has threads of its own here: some channel is {@link TrafficClass#BULK} and
   * the node is not in baseline mode. Layers above use it to decide whether their bulk work, too,
   * runs at the bulk class's priority, so one switch (the channels' classes) separates both.
   */
  public boolean separatesBulkTraffic() {
    return threads.bulkEventLoopGroup() != null;
  }

  /** The bulk channels' event loops, or null when none run (baseline mode, or no bulk channel). */
  EventLoopGroup bulkEventLoopGroup() {
    return threads.bulkEventLoopGroup();
  }

  public Interposition interposition() {
    return interposition;
  }

  public Transport transport() {
    return transport;
  }

  public ScheduledExecutorService scheduler() {
    return threads.scheduler();
  }

  // ---------------------------------------------------------------- actors

  public ActorRef spawn(String name, Actor actor) {
    return spawn(name, actor, config.executors().mailboxCapacity());
  }

  public ActorRef spawn(String name, Actor actor, int mailboxCapacity) {
    return spawn(name, actor, mailboxCapacity, threads.actorExecutor());
  }

  /**
   * Spawns an actor that runs on its own executor: for actors that block in native code (a RocksDB
   * write with fsync pins a virtual thread's carrier), a platform-thread pool keeps the shared
   * carriers free. Still one message at a time.
   */
  public ActorRef spawn(String name, Actor actor, int mailboxCapacity, Executor executor) {
    return actors.spawn(name, actor, mailboxCapacity, executor);
  }

  /**
   * Spawns an actor with options: its mailbox bound and where its turns run. {@link
   * Dispatch#EVENT_LOOP} runs the turns of messages from the network on the event loop that read
   * them, for handlers that never block (see there).
   */
  public ActorRef spawn(String name, Actor actor, ActorOptions options) {
    int capacity = options.mailboxCapacity();
    return actors.spawn(
        name,
        actor,
        capacity == 0 ? config.executors().mailboxCapacity() : capacity,
        threads.actorExecutor(),
        options.dispatch(),
        options.longTurnWarning().toNanos());
  }

  /** An actor whose mailbox is never full: for the node's own upkeep. */
  public ActorRef spawnSystem(String name, Actor actor) {
    return host.spawnSystem(name, actor);
  }

  public boolean stop(ActorRef ref) {
    return actors.stop(ref);
  }

  public ActorRef ref(String node, String actor) {
    return ActorRef.of(node, actor);
  }

  /** How many watchers a local actor has (0 if there is no such actor). */
  public int watchersOf(String name) {
    return actors.watchersOf(name);
  }

  public boolean hasActor(String name) {
    return actors.has(name);
  }

  /** Messages waiting in a local actor's mailbox (-1 if there is no such actor): a snapshot. */
  public int mailboxDepth(String name) {
    return actors.mailboxDepth(name);
  }

  // ---------------------------------------------------------------- sending

  public SendResult tell(ActorRef to, Object message) {
    return tell(to, message, SendOptions.DEFAULT);
  }

  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return closed ? SendResult.STOPPED : outbound.send(to, message, options, true);
  }

  /** Overlay maintenance: never routed, since the routes are what it maintains. */
  private SendResult tellDirect(ActorRef to, Object message, SendOptions options) {
    return closed ? SendResult.STOPPED : outbound.send(to, message, options, false);
  }

  /** Sends a message to the actor named {@code actor} on every member, this node included. */
  public void broadcast(String actor, Object message) {
    overlay.broadcast(actor, message);
  }

  /** Request-response: completes with the reply, or fails on timeout or refusal. */
  public CompletableFuture<Object> ask(ActorRef to, Object message, Duration timeout) {
    return ask(to, message, timeout, SendOptions.DEFAULT);
  }

  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, String channel) {
    return ask(to, message, timeout, SendOptions.on(channel));
  }

  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, SendOptions options) {
    return asks.ask(to, message, timeout, options);
  }

  // ---------------------------------------------------------------- monitors and failures

  /** {@code watcher} receives a {@link Down} when {@code watched} stops or its node goes down. */
  public void monitor(ActorRef watcher, ActorRef watched) {
    monitors.monitor(watcher, watched);
  }

  /** {@code watcher} receives {@link NodeDown} and {@link NodeUp} for {@code node}. */
  public void monitorNode(ActorRef watcher, String node) {
    monitors.monitorNode(watcher, node);
  }

  public void onDeliveryFailure(Consumer<DeliveryFailure> listener) {
    deliveryFailures.add(listener);
  }

  /** What passed the fault gate (event loop): the gate exists before the parts it leads to. */
  private void received(InboundMessage m) {
    LocalDelivery delivery = inbound;
    if (delivery == null) {
      droppedWhileStarting.incrementAndGet();
      m.release();
      return;
    }
    delivery.deliver(m);
  }

  /** Messages received but not delivered (unknown actor, previous life, full mailbox). */
  public long droppedInbound() {
    return local.droppedInbound() + droppedWhileStarting.get();
  }

  /** Encodes a registered message's body once, for carrying it through other nodes unopened. */
  public EncodedBody encode(Object message) {
    return bodies.encode(message);
  }

  // ---------------------------------------------------------------- cluster, metrics, lifecycle

  /** Joins the cluster of the node listening at {@code host:port}. */
  public CompletableFuture<Void> join(String host, int port) {
    return overlay.join(host, port);
  }

  public CompletableFuture<Void> leave() {
    return overlay.leave();
  }

  public List<LaneMetrics.Snapshot> metrics() {
    return transport.metrics();
  }

  /** Once a second on the timer: bounded retransmission, and closing idle non-neighbour links. */
  private void housekeeping() {
    try {
      transport.expireUnacked();
      transport.closeIdle(config.transport().idleTimeout().toNanos(), overlay.neighbours());
    } catch (RuntimeException e) {
      log.warn("housekeeping failed", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    overlay.close();
    transport.close();
    housekeeping.cancel(false);
    threads.closeScheduler();
    actors.stopAll();
    threads.closeExecutors();
    log.info("node {} stopped", self);
  }
}
