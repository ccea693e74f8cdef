package dev.partisan.runtime;

import dev.partisan.runtime.SystemMessages.MonitorRequest;
import dev.partisan.runtime.actor.ActorCell;
import dev.partisan.runtime.actor.MailboxItem;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.interpose.Interposition.Direction;
import dev.partisan.runtime.interpose.Interposition.MessageInfo;
import dev.partisan.runtime.overlay.MembershipEvent;
import dev.partisan.runtime.overlay.Overlay;
import dev.partisan.runtime.overlay.OverlayHost;
import dev.partisan.runtime.overlay.OverlayHost.EncodedBody;
import dev.partisan.runtime.overlay.Overlays;
import dev.partisan.runtime.overlay.Route;
import dev.partisan.runtime.transport.Cluster;
import dev.partisan.runtime.transport.Envelope;
import dev.partisan.runtime.transport.InboundMessage;
import dev.partisan.runtime.transport.InboundSink;
import dev.partisan.runtime.transport.NettyTransports;
import dev.partisan.runtime.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the actor runtime: actors with mailboxes, addressed by (node, name), talking over
 * authenticated TCP on named channels, on the overlay the configuration picks.
 *
 * <p>Threading: the actor table, monitor tables and failure-detector clocks are concurrent maps,
 * written by callers, event loops and actors. Each actor's own state is confined to the actor.
 */
public final class PartisanRuntime implements InboundSink, OverlayHost, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartisanRuntime.class);
  private static final AtomicLong lastIncarnation = new AtomicLong();
  private static final String MONITOR_ACTOR = "$monitor";
  private static final String ASK_PREFIX = "$ask-";
  private static final String ROUTER = "$router";
  private static final int RECENT_ROUTED = 65_536;

  private final RuntimeConfig config;
  private final TypeRegistry types = new TypeRegistry();
  private final Interposition interposition = new Interposition();
  private final Map<String, ActorCell> actors = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastHeard = new ConcurrentHashMap<>();
  private final Map<String, Set<Watch>> remoteWatches = new ConcurrentHashMap<>();
  private final Map<String, Set<ActorRef>> nodeWatchers = new ConcurrentHashMap<>();
  private final List<Consumer<DeliveryFailure>> failureListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong askIds = new AtomicLong();
  private final Map<String, CompletableFuture<Object>> pendingAsks = new ConcurrentHashMap<>();
  private final AtomicLong routedIds = new AtomicLong();
  private final Map<String, Boolean> recentRouted =
      new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_ROUTED;
        }
      };
  private final AtomicLong droppedInbound = new AtomicLong();
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final List<ScheduledFuture<?>> periodic = new CopyOnWriteArrayList<>();
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final NodeId self;
  private final Transport transport;
  private final Overlay overlay;
  private volatile boolean closed;

  private record Watch(ActorRef watched, ActorRef watcher) {}

  private PartisanRuntime(RuntimeConfig config, Consumer<TypeRegistry> registrations)
      throws InterruptedException {
    this.config = config;
    SystemMessages.register(types);
    registrations.accept(types);
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "partisan-timer-" + config.nodeName());
              t.setDaemon(true);
              return t;
            });
    // Cancelled ask timeouts leave the queue at once instead of waiting for their deadline.
    timers.setRemoveOnCancelPolicy(true);
    this.ownsScheduler = config.executors().sharedScheduler() == null;
    if (ownsScheduler) {
      this.scheduler = timers;
    } else {
      timers.shutdown();
      this.scheduler = config.executors().sharedScheduler();
    }
    if (config.executors().actorExecutor() != null) {
      this.executor = config.executors().actorExecutor();
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          Executors.newThreadPerTaskExecutor(
              Thread.ofVirtual().name("actor-" + config.nodeName() + "-", 0).factory());
      this.executor = ownedExecutor;
    }
    this.ownsGroup = config.executors().sharedEventLoopGroup() == null;
    this.group =
        ownsGroup
            ? NettyTransports.newGroup(
                config.executors().eventLoopThreads(), "netty-" + config.nodeName())
            : config.executors().sharedEventLoopGroup();
    long incarnation =
        lastIncarnation.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis()));
    // Port 0 means "any free port": the transport completes our identity once it is bound.
    Transport t =
        new Transport(
            new NodeId(config.nodeName(), config.host(), config.port(), incarnation),
            new Cluster(config.clusterName(), config.clusterSecret(), config.channels()),
            config.transport(),
            types,
            this,
            group,
            NettyTransports.detect());
    t.bind(config.host(), config.port());
    this.self = t.self();
    this.transport = t;
    transport.onGiveUp(
        (key, n) -> {
          DeliveryFailure f = new DeliveryFailure(key.peer(), key.channel(), key.lane(), n);
          log.warn("gave up delivering {} acknowledged message(s) to {}", n, key);
          failureListeners.forEach(l -> l.accept(f));
        });
    spawn(MONITOR_ACTOR, this::onMonitorRequest);
    this.overlay = Overlays.create(this, config.overlay(), config.failureDetection());
    overlay.start();
    periodic.add(scheduler.scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS));
    log.info(
        "node {} started ({} overlay{})",
        self,
        config.overlay(),
        config.transport().baseline() ? ", baseline" : "");
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

  @Override
  public NodeId self() {
    return self;
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

  public Interposition interposition() {
    return interposition;
  }

  public Transport transport() {
    return transport;
  }

  // ---------------------------------------------------------------- actors

  public ActorRef spawn(String name, Actor actor) {
    return spawn(name, actor, config.executors().mailboxCapacity());
  }

  public ActorRef spawn(String name, Actor actor, int mailboxCapacity) {
    return spawn(name, actor, mailboxCapacity, executor);
  }

  /**
   * Spawns an actor that runs on its own executor: for actors that block in native code (a RocksDB
   * write with fsync pins a virtual thread's carrier), a platform-thread pool keeps the shared
   * carriers free. Still one message at a time.
   */
  public ActorRef spawn(String name, Actor actor, int mailboxCapacity, Executor executor) {
    ActorRef ref = ActorRef.of(self, name);
    ActorCell cell = new ActorCell(ref, actor, mailboxCapacity, executor, this::invoke);
    if (actors.putIfAbsent(name, cell) != null) {
      throw new IllegalStateException("an actor named '" + name + "' already exists on " + self);
    }
    return ref;
  }

  @Override
  public ActorRef spawnSystem(String name, Actor actor) {
    return spawn(name, actor, Integer.MAX_VALUE);
  }

  public boolean stop(ActorRef ref) {
    if (!ref.node().equals(self.name())) {
      throw new IllegalArgumentException("can only stop local actors: " + ref);
    }
    ActorCell cell = actors.remove(ref.name());
    if (cell == null || !cell.stop()) {
      return false;
    }
    try {
      cell.behaviour().stopped();
    } catch (RuntimeException e) {
      log.warn("actor {} failed while stopping", ref, e);
    }
    for (ActorRef watcher : cell.watchers()) {
      tell(watcher, new Down(cell.self(), "stopped"), SendOptions.DEFAULT);
    }
    return true;
  }

  public ActorRef ref(String node, String actor) {
    return ActorRef.of(node, actor);
  }

  /** How many watchers a local actor has (0 if there is no such actor). */
  public int watchersOf(String name) {
    ActorCell cell = actors.get(name);
    return cell == null ? 0 : cell.watchers().size();
  }

  public boolean hasActor(String name) {
    return actors.containsKey(name);
  }

  /**
   * Messages waiting in a local actor's mailbox (-1 if there is no such actor). A snapshot for
   * metrics: the actor may take or receive messages at any moment.
   */
  public int mailboxDepth(String name) {
    ActorCell cell = actors.get(name);
    return cell == null ? -1 : cell.depth();
  }

  private void invoke(ActorCell cell, MailboxItem item) throws RuntimeException {
    Context ctx = new Context(cell.self(), item.sender(), item.channel());
    try {
      cell.behaviour().receive(ctx, item.message());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final class Context implements ActorContext {
    private final ActorRef self;
    private final ActorRef sender;
    private final String channel;

    Context(ActorRef self, ActorRef sender, String channel) {
      this.self = self;
      this.sender = sender;
      this.channel = channel;
    }

    @Override
    public ActorRef self() {
      return self;
    }

    @Override
    public ActorRef sender() {
      return sender;
    }

    @Override
    public String channel() {
      return channel;
    }

    @Override
    public PartisanRuntime runtime() {
      return PartisanRuntime.this;
    }

    @Override
    public SendResult reply(Object message) {
      if (sender == null) {
        return SendResult.NO_SUCH_ACTOR;
      }
      return tell(sender, message, new SendOptions(channel, null, self));
    }

    @Override
    public SendResult tell(ActorRef to, Object message) {
      return PartisanRuntime.this.tell(to, message, SendOptions.DEFAULT);
    }

    @Override
    public SendResult tell(ActorRef to, Object message, SendOptions options) {
      return PartisanRuntime.this.tell(to, message, options);
    }

    @Override
    public CompletableFuture<Object> ask(
        ActorRef to, Object message, Duration timeout, SendOptions options) {
      return PartisanRuntime.this.ask(to, message, timeout, options);
    }

    @Override
    public ScheduledFuture<?> schedule(Object message, Duration delay) {
      ActorRef me = self;
      return scheduler.schedule(
          () -> PartisanRuntime.this.tell(me, message, SendOptions.DEFAULT),
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean stop() {
      return PartisanRuntime.this.stop(self);
    }
  }

  // ---------------------------------------------------------------- sending

  public SendResult tell(ActorRef to, Object message) {
    return tell(to, message, SendOptions.DEFAULT);
  }

  @Override
  public SendResult tell(ActorRef to, Object message, SendOptions options) {
    return send(to, message, options, true);
  }

  /** Overlay maintenance: never routed, since the routes are what it maintains. */
  @Override
  public SendResult tellDirect(ActorRef to, Object message, SendOptions options) {
    return send(to, message, options, false);
  }

  private SendResult send(ActorRef to, Object message, SendOptions options, boolean mayRoute) {
    if (closed) {
      return SendResult.STOPPED;
    }
    if (to.node().equals(self.name())) {
      return tellLocal(to, message, options);
    }
    ChannelSpec spec = config.channels().get(options.channel());
    if (spec == null) {
      return SendResult.UNKNOWN_CHANNEL;
    }
    NodeId known = transport.address(to.node());
    if (known != null
        && to.incarnation() != ActorRef.ANY_INCARNATION
        && known.incarnation() > to.incarnation()) {
      return SendResult.STALE_INCARNATION;
    }
    if (interposition.isActive()) {
      Interposition.Action action =
          interposition.decide(
              new MessageInfo(self.name(), to.node(), spec.name(), message, Direction.OUTBOUND));
      if (action != null) {
        return applyOutboundFault(action, () -> sendOut(to, message, options, spec, mayRoute));
      }
    }
    return sendOut(to, message, options, spec, mayRoute);
  }

  private SendResult sendOut(
      ActorRef to, Object message, SendOptions options, ChannelSpec spec, boolean mayRoute) {
    if (!mayRoute) {
      return sendRemote(to, message, options, spec);
    }
    return switch (overlay.route(to.node())) {
      case Route.Direct d -> sendRemote(to, message, options, spec);
      case Route.Via via -> sendRouted(to, message, options, spec, via.hops());
      case Route.Unreachable u -> SendResult.UNKNOWN_NODE;
    };
  }

  // ---------------------------------------------------------------- routed unicast

  /** Wraps a message for a member that is not a neighbour; the body stays encoded en route. */
  private SendResult sendRouted(
      ActorRef to, Object message, SendOptions options, ChannelSpec spec, List<String> hops) {
    if (!types.isRegistered(message.getClass())) {
      return SendResult.UNREGISTERED_TYPE;
    }
    EncodedBody body = encode(message);
    String sender = options.sender() == null ? "" : options.sender().name();
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
            config.overlay().routeTtl(),
            hops.size() > 1,
            body.typeId(),
            body.body());
    remember(routed.forwardKey()); // a copy coming back round a loop is recognised here
    return forwardRouted(routed, options.partitionKey(), hops);
  }

  private SendResult forwardRouted(Routed routed, Object key, List<String> hops) {
    ChannelSpec spec = config.channels().getOrDefault(routed.channel(), defaultChannel());
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
      SendResult r = sendToRouter(hop, routed, laneKey, spec);
      if (r.accepted() || result == SendResult.UNKNOWN_NODE) {
        result = r;
      }
    }
    return result;
  }

  private ChannelSpec defaultChannel() {
    return config.channels().get(ChannelSpec.DEFAULT);
  }

  /** A routed message reached this node: deliver it here or pass it on (event loop). */
  private void onRouted(Routed r, NodeId via) {
    overlay.observedPath(r.origin(), via.name());
    if (r.destNode().equals(self.name())) {
      if (!remember(r.deliveryKey())) {
        deliverRouted(r);
      }
      return;
    }
    if (remember(r.forwardKey())) {
      if (!r.flood()) {
        // A routed copy came back: the learned routes form a loop. Flood instead.
        floodOnward(r.flooding(), via.name());
      }
      return;
    }
    if (r.ttl() <= 1) {
      droppedInbound.incrementAndGet();
      return;
    }
    if (r.flood()) {
      floodOnward(r, via.name());
      return;
    }
    Routed next = r.hopped();
    switch (overlay.route(r.destNode())) {
      case Route.Direct d -> forwardRouted(next, null, List.of(r.destNode()));
      case Route.Via v -> {
        List<String> hops = new ArrayList<>(v.hops());
        hops.remove(via.name());
        hops.remove(r.origin());
        if (hops.size() == 1 && v.hops().size() == 1) {
          forwardRouted(next, null, hops);
        } else {
          // No route, or it points back where the message came from (stale): flood.
          floodOnward(r.flooding(), via.name());
        }
      }
      case Route.Unreachable u -> droppedInbound.incrementAndGet();
    }
  }

  private void floodOnward(Routed r, String cameFrom) {
    if (r.ttl() <= 1) {
      droppedInbound.incrementAndGet();
      return;
    }
    remember(r.forwardKey());
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
      droppedInbound.incrementAndGet();
    } else {
      forwardRouted(r.hopped(), null, hops);
    }
  }

  private void deliverRouted(Routed r) {
    Object message;
    try {
      message = types.decodeBody(r.typeId(), Unpooled.wrappedBuffer(r.body()));
    } catch (CodecException e) {
      droppedInbound.incrementAndGet();
      log.warn("dropping routed message from {}: {}", r.origin(), e.getMessage());
      return;
    }
    deliverNow(
        new InboundMessage(
            new NodeId(r.origin(), "", 0, r.originIncarnation()),
            r.channel(),
            r.senderActor(),
            r.destActor(),
            r.destIncarnation(),
            message));
  }

  /** Records a key in the recent-message cache; true if it was already there. */
  private boolean remember(String key) {
    synchronized (recentRouted) {
      return recentRouted.put(key, Boolean.TRUE) != null;
    }
  }

  @Override
  public EncodedBody encode(Object message) {
    int typeId = types.idOf(message.getClass());
    if (typeId < 0) {
      throw new CodecException("unregistered message type " + message.getClass().getName());
    }
    ByteBuf buf = Unpooled.buffer(types.estimateBody(message));
    types.encodeBody(message, buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return new EncodedBody(typeId, bytes);
  }

  @Override
  public void deliverBroadcast(String origin, String actor, int typeId, byte[] body) {
    ActorCell cell = actors.get(actor);
    if (cell == null) {
      return;
    }
    try {
      Object message = types.decodeBody(typeId, Unpooled.wrappedBuffer(body));
      cell.enqueue(new MailboxItem(message, null, ChannelSpec.MEMBERSHIP));
    } catch (CodecException e) {
      log.warn("dropping broadcast from {}: {}", origin, e.getMessage());
    }
  }

  /** Sends a message to the actor named {@code actor} on every member, this node included. */
  public void broadcast(String actor, Object message) {
    overlay.broadcast(actor, message);
  }

  private SendResult sendRemote(
      ActorRef to, Object message, SendOptions options, ChannelSpec spec) {
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
  private SendResult sendToRouter(String hop, Routed routed, Object laneKey, ChannelSpec spec) {
    return transport.send(hop, spec, new Envelope("", "", 0, ROUTER, 0, laneKey, false, routed));
  }

  private SendResult applyOutboundFault(
      Interposition.Action action, java.util.function.Supplier<SendResult> send) {
    return switch (action) {
      case Interposition.Drop d -> SendResult.DROPPED_BY_FAULT;
      case Interposition.Delay d -> {
        scheduler.schedule(send::get, d.delay().toNanos(), TimeUnit.NANOSECONDS);
        yield SendResult.OK;
      }
      case Interposition.Duplicate d -> {
        SendResult r = send.get();
        for (int i = 0; i < d.copies(); i++) {
          send.get();
        }
        yield r;
      }
    };
  }

  private SendResult tellLocal(ActorRef to, Object message, SendOptions options) {
    if (to.incarnation() != ActorRef.ANY_INCARNATION && to.incarnation() != self.incarnation()) {
      return SendResult.STALE_INCARNATION;
    }
    ActorCell cell = actors.get(to.name());
    if (cell == null) {
      return completeAsk(to.name(), message) ? SendResult.OK : SendResult.NO_SUCH_ACTOR;
    }
    return cell.enqueue(new MailboxItem(message, options.sender(), options.channel()));
  }

  /** Request-response: completes with the reply, or fails on timeout or refusal. */
  public CompletableFuture<Object> ask(ActorRef to, Object message, Duration timeout) {
    return ask(to, message, timeout, SendOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, String channel) {
    return ask(to, message, timeout, SendOptions.on(channel));
  }

  public CompletableFuture<Object> ask(
      ActorRef to, Object message, Duration timeout, SendOptions options) {
    CompletableFuture<Object> reply = new CompletableFuture<>();
    // Not an actor: a reply completes the future on the thread that receives it, without a
    // mailbox hop. The name still looks like an actor's, so the reply is an ordinary message.
    String name = ASK_PREFIX + askIds.incrementAndGet();
    ActorRef askRef = ActorRef.of(self, name);
    pendingAsks.put(name, reply);
    reply.whenComplete((v, e) -> pendingAsks.remove(name));
    SendResult r = tell(to, message, options.from(askRef));
    if (!r.accepted()) {
      reply.completeExceptionally(new AskException("request not sent: " + r, r));
      return reply;
    }
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () ->
                reply.completeExceptionally(
                    new TimeoutException("no reply from " + to + " within " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    reply.whenComplete((v, e) -> deadline.cancel(false));
    return reply;
  }

  /** Completes a pending ask if {@code name} is one; false if it is not. */
  private boolean completeAsk(String name, Object answer) {
    if (!name.startsWith(ASK_PREFIX)) {
      return false;
    }
    CompletableFuture<Object> reply = pendingAsks.get(name);
    if (reply != null) {
      if (answer instanceof AskFailure f) {
        reply.completeExceptionally(new AskException(f.reason(), null));
      } else {
        reply.complete(answer);
      }
    }
    return true; // a late reply to an ask that timed out is dropped
  }

  // ---------------------------------------------------------------- monitors

  /** {@code watcher} receives a {@link Down} when {@code watched} stops or its node goes down. */
  public void monitor(ActorRef watcher, ActorRef watched) {
    if (watched.node().equals(self.name())) {
      ActorCell cell = actors.get(watched.name());
      if (cell == null) {
        tell(watcher, new Down(watched, "noproc"), SendOptions.DEFAULT);
      } else {
        cell.watchers().add(watcher);
        if (cell.isStopped()) {
          tell(watcher, new Down(watched, "noproc"), SendOptions.DEFAULT);
        }
      }
      return;
    }
    remoteWatches
        .computeIfAbsent(watched.node(), k -> ConcurrentHashMap.newKeySet())
        .add(new Watch(watched, watcher));
    SendResult r =
        tell(
            ActorRef.of(watched.node(), MONITOR_ACTOR),
            new MonitorRequest(watched.name(), watcher),
            SendOptions.on(ChannelSpec.MEMBERSHIP).key("monitor:" + watched.name() + watcher));
    if (!r.accepted() || !overlay.isUp(watched.node())) {
      fireRemoteDowns(watched.node(), "noconnection");
    }
  }

  /** {@code watcher} receives {@link NodeDown} and {@link NodeUp} for {@code node}. */
  public void monitorNode(ActorRef watcher, String node) {
    nodeWatchers.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  private void onMonitorRequest(ActorContext ctx, Object message) {
    if (message instanceof MonitorRequest req) {
      ActorCell cell = actors.get(req.watched());
      ActorRef watched = ActorRef.of(self, req.watched());
      if (cell == null || cell.isStopped()) {
        tell(req.watcher(), new Down(watched, "noproc"), SendOptions.DEFAULT);
      } else {
        cell.watchers().add(req.watcher());
      }
    }
  }

  private void fireRemoteDowns(String node, String reason) {
    Set<Watch> watches = remoteWatches.remove(node);
    if (watches != null) {
      for (Watch w : watches) {
        tell(w.watcher(), new Down(w.watched(), reason), SendOptions.DEFAULT);
      }
    }
  }

  @Override
  public void membershipChanged(MembershipEvent event) {
    String node = event.node().name();
    Set<ActorRef> watchers = nodeWatchers.getOrDefault(node, Set.of());
    switch (event) {
      case MembershipEvent.Down d -> {
        fireRemoteDowns(node, "noconnection");
        watchers.forEach(
            w -> tell(w, new NodeDown(node, d.node().incarnation(), "down"), SendOptions.DEFAULT));
      }
      case MembershipEvent.Left l -> {
        fireRemoteDowns(node, "noconnection");
        watchers.forEach(
            w -> tell(w, new NodeDown(node, l.node().incarnation(), "left"), SendOptions.DEFAULT));
      }
      case MembershipEvent.Up u ->
          watchers.forEach(
              w -> tell(w, new NodeUp(node, u.node().incarnation()), SendOptions.DEFAULT));
      case MembershipEvent.Joined j -> {
        // Actors watched on an earlier life of this node are gone.
        Set<Watch> watches = remoteWatches.get(node);
        if (watches != null) {
          watches.removeIf(
              w -> {
                long inc = w.watched().incarnation();
                if (inc != ActorRef.ANY_INCARNATION && inc < j.node().incarnation()) {
                  tell(w.watcher(), new Down(w.watched(), "noconnection"), SendOptions.DEFAULT);
                  return true;
                }
                return false;
              });
        }
        watchers.forEach(
            w -> tell(w, new NodeUp(node, j.node().incarnation()), SendOptions.DEFAULT));
      }
    }
  }

  public void onDeliveryFailure(Consumer<DeliveryFailure> listener) {
    failureListeners.add(listener);
  }

  // ---------------------------------------------------------------- inbound (event loops)

  @Override
  public void deliver(InboundMessage m) {
    if (interposition.isActive()) {
      Interposition.Action action =
          interposition.decide(
              new MessageInfo(
                  m.from().name(), self.name(), m.channel(), m.message(), Direction.INBOUND));
      if (action != null) {
        switch (action) {
          case Interposition.Drop d -> {
            return;
          }
          case Interposition.Delay d -> {
            scheduler.schedule(() -> deliverNow(m), d.delay().toNanos(), TimeUnit.NANOSECONDS);
            return;
          }
          case Interposition.Duplicate d -> {
            for (int i = 0; i < d.copies(); i++) {
              deliverNow(m);
            }
          }
        }
      }
    }
    deliverNow(m);
  }

  private void deliverNow(InboundMessage m) {
    if (m.message() instanceof Routed r && m.receiverActor().equals(ROUTER)) {
      onRouted(r, m.from());
      return;
    }
    if (m.receiverIncarnation() != ActorRef.ANY_INCARNATION
        && m.receiverIncarnation() != self.incarnation()) {
      droppedInbound.incrementAndGet();
      return; // addressed to a previous life of this node
    }
    ActorCell cell = actors.get(m.receiverActor());
    if (cell == null) {
      if (completeAsk(m.receiverActor(), m.message())) {
        return;
      }
      droppedInbound.incrementAndGet();
      log.debug("no actor '{}' for message from {}", m.receiverActor(), m.from());
      return;
    }
    ActorRef sender =
        m.senderActor().isEmpty()
            ? null
            : new ActorRef(m.senderNode(), m.senderIncarnation(), m.senderActor());
    SendResult r = cell.enqueue(new MailboxItem(m.message(), sender, m.channel()));
    if (r == SendResult.MAILBOX_FULL) {
      droppedInbound.incrementAndGet();
      if (sender != null && sender.name().startsWith(ASK_PREFIX)) {
        tell(
            sender,
            new AskFailure("overloaded: mailbox of " + cell.self() + " is full"),
            SendOptions.on(m.channel()));
      }
    }
  }

  /** Messages received but not delivered (unknown actor, previous life, full mailbox). */
  public long droppedInbound() {
    return droppedInbound.get();
  }

  @Override
  public void peerActive(NodeId peer) {
    if (interposition.isPartitionedFrom(peer.name())) {
      return;
    }
    AtomicLong t = lastHeard.get(peer.name());
    if (t == null) {
      t = lastHeard.computeIfAbsent(peer.name(), k -> new AtomicLong());
    }
    t.set(System.nanoTime());
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

  // ---------------------------------------------------------------- overlay host

  @Override
  public CompletableFuture<NodeId> probe(String host, int port) {
    return transport.probe(host, port);
  }

  @Override
  public void learn(NodeId peer) {
    transport.learn(peer);
  }

  @Override
  public void disconnect(String peer) {
    transport.disconnect(peer);
  }

  @Override
  public void forget(String peer) {
    transport.forget(peer);
    lastHeard.remove(peer);
  }

  @Override
  public long lastHeardNanos(String peer) {
    AtomicLong t = lastHeard.get(peer);
    return t == null ? 0 : t.get();
  }

  @Override
  public void touch(String peer) {
    lastHeard.computeIfAbsent(peer, k -> new AtomicLong()).set(System.nanoTime());
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  // ---------------------------------------------------------------- cluster and metrics

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

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    overlay.close();
    transport.close();
    periodic.forEach(f -> f.cancel(false));
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    for (ActorCell cell : actors.values()) {
      cell.stop();
    }
    actors.clear();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    log.info("node {} stopped", self);
  }
}
