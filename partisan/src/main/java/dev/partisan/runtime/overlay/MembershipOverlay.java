package dev.partisan.runtime.overlay;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.LivenessProbe.Probed;
import dev.partisan.runtime.overlay.MembershipMessages.Broadcast;
import dev.partisan.runtime.overlay.MembershipMessages.BucketHashes;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Digest;
import dev.partisan.runtime.overlay.MembershipMessages.DigestHash;
import dev.partisan.runtime.overlay.MembershipMessages.Heartbeat;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every overlay shares: the replicated member set ({@link MembershipSet}), failure detection
 * of the peers this node monitors, rumours about the others, anti-entropy, join and leave,
 * broadcast, and membership events. Subclasses decide the topology: which peers to monitor and keep
 * connections to ({@link #monitoredPeers}), how news travels ({@link #disseminate}) and how a
 * message reaches a member ({@link #route}).
 *
 * <p>The member set spreads without sending the whole set to everyone every period: a change is
 * pushed once as a delta by each node that learns it; a joiner gets the whole set from its contact;
 * and each gossip period a node sends a 12-byte hash of its set to one random neighbour, which
 * answers with its digest only when the hashes differ.
 *
 * <p>Failures: a monitored peer silent for the detection time is down in this node's view; if the
 * overlay spreads suspicions, a DOWN rumour (at the version last seen) tells the nodes that do not
 * monitor it. The suspect refutes a false rumour by publishing a higher version.
 *
 * <p>Parts: {@link FailureDetector} judges the monitored peers, {@link AntiEntropy} compares sets
 * with neighbours, {@link MembershipView} publishes snapshots and events.
 *
 * <p>Threading: all state is owned by the {@code $membership} actor; other threads read the view's
 * volatile snapshots.
 */
public abstract class MembershipOverlay<S extends OverlaySettings> implements Overlay {
  private static final Logger log = LoggerFactory.getLogger(MembershipOverlay.class);
  public static final String ACTOR = "$membership";

  /** Monitored peers asked to pass a leaving node's departure on. */
  static final int LEAVE_RELAYS = 2;

  protected final OverlayHost host;
  protected final S settings;
  protected final Duration detectionTime;
  private final AtomicLong messageKeys = new AtomicLong();
  private final Broadcasts broadcasts;
  protected final BroadcastCounters counters = new BroadcastCounters();

  // Owned by the membership actor.
  protected final MembershipSet set = new MembershipSet();
  protected final FailureDetector detector;
  private final AntiEntropy antiEntropy;
  private final MembershipView view;
  private final PendingJoins pendingJoins;
  private final SelfEntry selfEntry;
  protected ActorRef self;
  private ScheduledFuture<?> ticker;
  private final ViewPublisher publisher;
  private final PeerAddresses addresses;
  private final LivenessProbe liveness;
  private final NewsBatcher news;
  private final Heartbeats heartbeats;

  protected MembershipOverlay(OverlayHost host, S settings, FailureDetection failureDetection) {
    this.host = host;
    this.settings = settings;
    this.detectionTime = failureDetection.detectionTime();
    this.detector = new FailureDetector(host, failureDetection);
    this.pendingJoins = new PendingJoins(detectionTime.toNanos());
    this.antiEntropy =
        new AntiEntropy(set, failureDetection, host, this::sendMembership, this::replyDirect);
    this.selfEntry = new SelfEntry(host.self(), this::role);
    this.view = new MembershipView(host);
    this.liveness =
        new LivenessProbe(
            set,
            host.self().name(),
            failureDetection.gossipInterval().toNanos(),
            host.self().name());
    this.addresses = new PeerAddresses(host, detector, view, this::isMonitored, this::onMemberLeft);
    this.publisher =
        new ViewPublisher(view, set, detector, host.self().name(), new OverlayViewSource(this));
    this.broadcasts = new Broadcasts(host, settings.routeTtl());
    this.news =
        new NewsBatcher(
            failureDetection.newsBatchInterval().toNanos(),
            host::nanoTime,
            this::disseminate,
            this::wakeNewsAfter);
    this.heartbeats = new Heartbeats(TimeUnit.MILLISECONDS.toNanos(detector.tickMillis()));
  }

  private record Tick() {}

  /** The news batch's period ended: what waited goes out. */
  private record NewsDue() {}

  private void wakeNewsAfter(long delayNanos) {
    tellSelfAfter(new NewsDue(), delayNanos);
  }

  /** A timer's wake-up, as a message to the membership actor: it owns what the timer is for. */
  protected void tellSelfAfter(Object message, long delayNanos) {
    host.scheduler()
        .schedule(
            () -> host.tell(self, message, SendOptions.DEFAULT), delayNanos, TimeUnit.NANOSECONDS);
  }

  private record JoinProbed(NodeId seed, CompletableFuture<Void> done) {}

  private record Leave(CompletableFuture<Void> done) {}

  private record LocalBroadcast(Broadcast broadcast) {}

  // ------------------------------------------------------------------ topology hooks

  /** Peers this node heartbeats and judges itself (actor thread). */
  protected abstract Collection<String> monitoredPeers();

  /**
   * Whether this node monitors {@code name} (actor thread); overlays answer without building {@link
   * #monitoredPeers}, as it is asked for every member a change touches.
   */
  protected boolean isMonitored(String name) {
    return monitoredPeers().contains(name);
  }

  /** Whether this node has left the cluster (actor thread). */
  final boolean hasLeft() {
    return selfEntry.left();
  }

  /** Runs after the view published a change (actor thread): for state derived from the members. */
  protected void onPublished() {}

  /** Whether this node tells others about monitored peers it finds down. */
  protected boolean spreadsSuspicions() {
    return true;
  }

  /**
   * Whether this node dials, now and then, a member it does not monitor, to find members nobody
   * monitors any more ({@link LivenessProbe}); only where suspicions spread. Client-server: no
   * (clients never dial clients, and servers monitor every member).
   */
  protected boolean probesUnmonitored() {
    return spreadsSuspicions() && gossips();
  }

  /** Whether members exchange digests and pass on what they learn (static: no). */
  protected boolean gossips() {
    return true;
  }

  /** What this node tells a joiner or a node that asks for its state. */
  protected List<Member> stateToShare() {
    return gossips() ? set.snapshot() : List.of(set.get(host.self().name()));
  }

  /** This node's role tag, published in its entry. */
  protected String role() {
    return "server";
  }

  /** Overlay-specific protocol messages (actor thread). */
  protected void onProtocolMessage(ActorContext ctx, Object message) {
    log.debug("{} ignores {}", getClass().getSimpleName(), message.getClass().getSimpleName());
  }

  /** A node asked for our state (it joined through us, or reached us as a configured peer). */
  protected void onContactedBy(String name) {}

  /** Runs every tick after failure detection (actor thread). */
  protected void onTick(long nowNanos) {}

  /** The contact answered a join probe (actor thread). */
  protected void onContact(NodeId contact) {}

  /** A monitored peer went silent (actor thread). */
  protected void onMonitoredPeerDown(String name) {}

  /** A member left or is gone for good (actor thread). */
  protected void onMemberLeft(String name) {}

  /** Passes changed entries on; by default floods them over the monitored peers. */
  protected void disseminate(List<Member> changed, String except) {
    flood(new Delta(changed, false, true), except, null);
  }

  /** Passes a broadcast on; by default floods it over the monitored peers. */
  protected void forwardBroadcast(Broadcast b, String except) {
    Broadcast next = Broadcasts.onward(b);
    if (next != null) {
      flood(next, except, b.origin());
    }
  }

  private void flood(Object message, String except, String alsoExcept) {
    for (String peer : upMonitoredPeers()) {
      if (!peer.equals(except) && !peer.equals(alsoExcept)) {
        counters.eagerSent();
        sendMembership(peer, message, nextKey());
      }
    }
  }

  // ------------------------------------------------------------------ Overlay

  @Override
  public void start() {
    set.merge(List.of(selfEntry.entry(Status.ALIVE)));
    publishSnapshots();
    self = host.spawnSystem(ACTOR, new MembershipActor());
    long tickMillis = detector.tickMillis();
    ticker =
        host.scheduler()
            .scheduleAtFixedRate(
                () -> host.tell(self, new Tick(), SendOptions.DEFAULT),
                tickMillis,
                tickMillis,
                TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> join(String seedHost, int seedPort) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    host.probe(seedHost, seedPort)
        .whenComplete(
            (seed, err) -> {
              if (err != null) {
                done.completeExceptionally(err);
              } else {
                host.tell(self, new JoinProbed(seed, done), SendOptions.DEFAULT);
              }
            });
    return done.orTimeout(detectionTime.toMillis() * 3 + 10_000, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    host.tell(self, new Leave(done), SendOptions.DEFAULT);
    return done;
  }

  @Override
  public Set<NodeId> members() {
    return view.members();
  }

  @Override
  public Set<NodeId> upMembers() {
    return view.upMembers();
  }

  @Override
  public boolean isUp(String node) {
    return view.isUp(node);
  }

  @Override
  public Set<String> neighbours() {
    return view.neighbours();
  }

  @Override
  public void subscribe(Consumer<MembershipEvent> listener) {
    view.subscribe(listener);
  }

  @Override
  public void broadcast(String actor, Object message) {
    host.tell(self, new LocalBroadcast(broadcasts.create(actor, message)), SendOptions.DEFAULT);
  }

  @Override
  public BroadcastStats broadcastStats() {
    return counters.snapshot();
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  // ------------------------------------------------------------------ helpers for subclasses

  protected ActorRef membershipOf(String node) {
    return ActorRef.of(node, ACTOR);
  }

  protected void sendMembership(String node, Object message, Object key) {
    SendOptions options = SendOptions.on(ChannelSpec.MEMBERSHIP).key(key).from(self);
    sent(node, message, host.tellDirect(membershipOf(node), message, options));
  }

  /** Replies over a direct connection: maintenance must not depend on routes it maintains. */
  protected void replyDirect(ActorContext ctx, Object message) {
    SendOptions options = SendOptions.on(ChannelSpec.MEMBERSHIP).key(nextKey()).from(self);
    sent(ctx.sender().node(), message, host.tellDirect(ctx.sender(), message, options));
  }

  /** Traffic other than heartbeats is a sign of life too: the peer's next heartbeat can wait. */
  private void sent(String node, Object message, SendResult result) {
    if (result.accepted() && !(message instanceof Heartbeat)) {
      heartbeats.sent(node, host.nanoTime());
    }
  }

  protected long nextKey() {
    return messageKeys.incrementAndGet();
  }

  /** Monitored peers not currently silent. */
  protected List<String> upMonitoredPeers() {
    List<String> peers = new ArrayList<>();
    for (String p : monitoredPeers()) {
      if (!detector.isDown(p) && set.get(p) != null && set.get(p).status() != Status.LEFT) {
        peers.add(p);
      }
    }
    return peers;
  }

  protected boolean isAliveMember(String name) {
    Member m = set.get(name);
    return m != null && m.status() != Status.LEFT;
  }

  /** Delivers a broadcast here and passes it on, once per broadcast id. */
  protected boolean acceptBroadcast(Broadcast b) {
    return broadcasts.accept(b);
  }

  // ------------------------------------------------------------------ the actor

  private final class MembershipActor implements Actor {
    @Override
    public void receive(ActorContext ctx, Object message) {
      switch (message) {
        case Tick t -> tick();
        case NewsDue n -> news.onWake();
        case ViewPublisher.Flush f -> publisher.onFlushMessage();
        case Delta d -> onDelta(ctx, d);
        case DigestHash h -> antiEntropy.onDigestHash(ctx, h);
        case BucketHashes b -> antiEntropy.onBucketHashes(ctx, b);
        case Digest d -> antiEntropy.onDigest(ctx, d);
        case Heartbeat h -> {} // its arrival already refreshed the failure detector
        case JoinProbed j -> onJoinProbed(j);
        case Probed p -> onProbed(p);
        case Leave l -> onLeave(l);
        case LocalBroadcast lb -> {
          if (acceptBroadcast(lb.broadcast())) {
            forwardBroadcast(lb.broadcast(), null);
          }
        }
        case Broadcast b -> {
          if (acceptBroadcast(b)) {
            forwardBroadcast(b, ctx.sender() == null ? null : ctx.sender().node());
          }
        }
        default -> onProtocolMessage(ctx, message);
      }
    }
  }

  private void tick() {
    if (selfEntry.left()) {
      return;
    }
    long now = host.nanoTime();
    Heartbeat hb = new Heartbeat(now / 1_000_000);
    heartbeats.startTick(now);
    List<Member> suspicions = new ArrayList<>();
    for (String name : List.copyOf(monitoredPeers())) {
      Member m = set.get(name);
      if (m == null || m.status() == Status.LEFT) {
        continue;
      }
      if (heartbeats.due(name)) {
        sendMembership(name, hb, "heartbeat");
      }
      if (detector.justWentSilent(name, now)) {
        if (spreadsSuspicions() && m.status() == Status.ALIVE) {
          suspicions.add(new Member(m.id(), m.version(), Status.DOWN, m.role()));
        }
        onMonitoredPeerDown(name);
      }
    }
    if (!suspicions.isEmpty()) {
      List<Member> changed = set.merge(suspicions);
      publisher.changed(changed); // no longer monitored: the rumour decides whether it is up
      news.add(changed, null);
    }
    onTick(now);
    for (NodeId seed : pendingJoins.due(now)) {
      askToJoin(seed); // no answer yet: the request or its connection may have been lost
    }
    if (gossips()) {
      antiEntropy.tick(now, upMonitoredPeers());
    }
    if (probesUnmonitored()) {
      liveness.probeNext(
          now, this::isMonitored, host, p -> host.tell(self, p, SendOptions.DEFAULT));
    }
    // The detector's judgements change only monitored peers' up state: refresh just those (every
    // other change is recorded where it happens), not the whole view.
    for (String name : List.copyOf(monitoredPeers())) {
      publisher.refresh(name);
    }
    publisher.flush();
  }

  private void onProbed(Probed p) {
    String name = p.target().id().name();
    if (p.answered() && !isMonitored(name)) {
      host.disconnect(name); // the probe's connection: no neighbour's
    }
    Member down = liveness.result(p.target(), p.answered());
    if (down != null && !selfEntry.left()) {
      List<Member> changed = set.merge(List.of(down));
      publisher.changed(changed);
      news.add(changed, null);
    }
  }

  private void onDelta(ActorContext ctx, Delta d) {
    String from = ctx.sender() == null ? null : ctx.sender().node();
    List<Member> changed = absorb(d.members());
    if (d.relay() && !changed.isEmpty() && !selfEntry.left()) {
      news.add(changed, from);
    }
    if (d.requestState() && ctx.sender() != null) {
      onContactedBy(ctx.sender().node());
      // The requester (a joiner) acts on our answer at once, e.g. asks another part of this node
      // to take it in, which reads our members: publish them before answering.
      publisher.flush();
      replyDirect(ctx, new Delta(stateToShare(), false, false));
    }
    if (from != null) {
      CompletableFuture<Void> join = pendingJoins.answeredBy(from);
      if (join != null) {
        publisher.flush(); // the joiner's caller reads the members next: publish them first
        join.complete(null);
      }
    }
  }

  /**
   * Merges entries and acts on what changed (addresses, departures, refuting rumours about this
   * node); returns the changed entries. Does not pass them on: the caller decides.
   */
  protected final List<Member> absorb(List<Member> incoming) {
    List<Member> changed = set.merge(incoming);
    if (changed.isEmpty()) {
      return changed;
    }
    Member refutation = selfEntry.refutation(changed);
    if (refutation != null) {
      set.merge(List.of(refutation));
    }
    addresses.learn(changed);
    if (refutation != null) {
      announce(refutation);
    }
    publisher.changed(changed);
    return changed;
  }

  /** Publishes a new entry of this node's own (a refutation) to everyone. */
  protected void announce(Member own) {
    disseminate(List.of(own), null);
  }

  private void onJoinProbed(JoinProbed j) {
    host.learn(j.seed());
    host.touch(j.seed().name());
    pendingJoins.asked(j.seed(), j.done(), host.nanoTime());
    askToJoin(j.seed());
  }

  private void askToJoin(NodeId seed) {
    sendMembership(seed.name(), new Delta(stateToShare(), true, true), nextKey());
    onContact(seed);
  }

  private void onLeave(Leave l) {
    news.flushNow(); // nothing waits for a period this node will not see
    Member gone = selfEntry.leave(set.get(host.self().name()));
    set.merge(List.of(gone));
    List<CompletableFuture<Object>> acks = new ArrayList<>();
    int relays = 0;
    for (String peer : upMonitoredPeers()) {
      // Two peers pass the departure on, not all: each pass is a broadcast to every member (six
      // per leave on HyParView), and the others know it first-hand; two in case one fails.
      boolean relay = relays++ < LEAVE_RELAYS;
      acks.add(
          host.ask(
                  membershipOf(peer),
                  new Delta(List.of(gone), true, relay),
                  Duration.ofSeconds(2),
                  ChannelSpec.MEMBERSHIP)
              .exceptionally(err -> null));
    }
    publishSnapshots();
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .whenComplete((v, err) -> l.done().complete(null));
  }

  // ------------------------------------------------------------------ snapshots and events

  /** Reconciles the whole view with the member set and publishes at once (O(members)). */
  protected void publishSnapshots() {
    publisher.reconcileAll();
  }

  /**
   * Peers were added to or removed from the monitored set: their up state changes now, the view is
   * published with the next batch.
   */
  protected void monitoredChanged(Collection<String> names) {
    for (String name : names) {
      publisher.refresh(name);
    }
    publisher.queueFlush();
  }

  /** Thread-safe view of a member's id, for routing decisions. */
  protected NodeId memberId(String name) {
    return view.memberId(name);
  }
}
