package dev.partisan.runtime.overlay;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Digest;
import dev.partisan.runtime.overlay.MembershipMessages.Heartbeat;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every member connects to every other. Membership is a replicated set ({@link MembershipSet})
 * spread three ways: a change is pushed as a delta to every member once, by each node that learns
 * it; a joiner receives the whole set from its contact; and every gossip period each node sends a
 * digest to one random peer, which answers with only what the digest lacks. Failures are detected
 * by silence: heartbeats go to every member each interval, and a member heard from by no frame for
 * the detection time is reported down.
 *
 * <p>All state is owned by the {@code $membership} actor; other threads read the volatile
 * snapshots.
 */
public final class FullMeshOverlay implements Overlay {
  private static final Logger log = LoggerFactory.getLogger(FullMeshOverlay.class);
  public static final String ACTOR = "$membership";

  private final OverlayHost host;
  private final Duration heartbeatInterval;
  private final Duration detectionTime;
  private final Duration gossipInterval;
  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong deltaKeys = new AtomicLong();

  // Owned by the membership actor.
  private final MembershipSet set = new MembershipSet();
  private final Set<String> down = new HashSet<>();
  private final Map<String, CompletableFuture<Void>> pendingJoins = new HashMap<>();
  private long selfVersion = 1;
  private boolean left;
  private long lastGossipNanos;

  private volatile Set<NodeId> membersSnapshot = Set.of();
  private volatile Set<NodeId> upSnapshot = Set.of();
  private ActorRef self;
  private ScheduledFuture<?> ticker;
  // A node is suspected after (detection time - one tick) of silence, so that the check running
  // once per tick reports it within the configured detection time.
  private long tickMillis;
  private long suspicionNanos;

  public FullMeshOverlay(
      OverlayHost host, Duration heartbeatInterval, Duration detectionTime, Duration gossip) {
    this.host = host;
    this.heartbeatInterval = heartbeatInterval;
    this.detectionTime = detectionTime;
    this.gossipInterval = gossip;
  }

  private record Tick() {}

  private record JoinProbed(NodeId seed, CompletableFuture<Void> done) {}

  private record Leave(CompletableFuture<Void> done) {}

  @Override
  public void start() {
    set.merge(List.of(new Member(host.self(), selfVersion, Status.ALIVE)));
    publishSnapshots();
    self = host.spawnSystem(ACTOR, new MembershipActor());
    tickMillis = Math.max(10, Math.min(heartbeatInterval.toMillis(), detectionTime.toMillis() / 4));
    suspicionNanos = TimeUnit.MILLISECONDS.toNanos(detectionTime.toMillis() - tickMillis);
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
    return done.orTimeout(detectionTime.toMillis() * 3 + 5000, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    host.tell(self, new Leave(done), SendOptions.DEFAULT);
    return done;
  }

  @Override
  public Set<NodeId> members() {
    return membersSnapshot;
  }

  @Override
  public Set<NodeId> upMembers() {
    return upSnapshot;
  }

  @Override
  public boolean isUp(String node) {
    for (NodeId n : upSnapshot) {
      if (n.name().equals(node)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void subscribe(Consumer<MembershipEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public String nextHop(String destination) {
    return destination;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  private ActorRef membershipOf(String node) {
    return ActorRef.of(node, ACTOR);
  }

  private SendOptions opts(Object key) {
    return SendOptions.on(ChannelSpec.MEMBERSHIP).key(key).from(self);
  }

  private final class MembershipActor implements Actor {
    @Override
    public void receive(ActorContext ctx, Object message) {
      switch (message) {
        case Tick t -> onTick();
        case Delta d -> onDelta(ctx, d);
        case Digest d -> onDigest(ctx, d);
        case Heartbeat h -> {} // its arrival already refreshed the failure detector
        case JoinProbed j -> onJoinProbed(j);
        case Leave l -> onLeave(l);
        default -> log.debug("membership ignores {}", message.getClass().getSimpleName());
      }
    }
  }

  private void onTick() {
    if (left) {
      return;
    }
    Heartbeat hb = new Heartbeat(System.currentTimeMillis());
    long now = System.nanoTime();
    boolean changed = false;
    for (Member m : set.all()) {
      String name = m.id().name();
      if (m.status() != Status.ALIVE || name.equals(host.self().name())) {
        continue;
      }
      host.tell(membershipOf(name), hb, opts("heartbeat"));
      long silentFor = now - host.lastHeardNanos(name);
      if (!down.contains(name) && silentFor > suspicionNanos) {
        down.add(name);
        changed = true;
        publishSnapshots();
        emit(new MembershipEvent.Down(m.id()));
      } else if (down.contains(name) && silentFor < suspicionNanos / 2) {
        down.remove(name);
        changed = true;
        publishSnapshots();
        emit(new MembershipEvent.Up(m.id()));
      }
    }
    if (changed) {
      publishSnapshots();
    }
    if (now - lastGossipNanos >= gossipInterval.toNanos()) {
      lastGossipNanos = now;
      List<String> peers = upPeers();
      if (!peers.isEmpty()) {
        String peer = peers.get(ThreadLocalRandom.current().nextInt(peers.size()));
        host.tell(membershipOf(peer), new Digest(set.digest(), false), opts("digest"));
      }
    }
  }

  private List<String> upPeers() {
    List<String> peers = new ArrayList<>();
    for (Member m : set.all()) {
      String name = m.id().name();
      if (m.status() == Status.ALIVE && !name.equals(host.self().name()) && !down.contains(name)) {
        peers.add(name);
      }
    }
    return peers;
  }

  private void onDelta(ActorContext ctx, Delta d) {
    List<Member> changed = set.merge(d.members());
    apply(changed);
    String from = ctx.sender() == null ? null : ctx.sender().node();
    if (!changed.isEmpty() && !left) {
      Delta forward = new Delta(changed, false);
      for (String peer : upPeers()) {
        if (!peer.equals(from)) {
          host.tell(membershipOf(peer), forward, opts(deltaKeys.incrementAndGet()));
        }
      }
    }
    if (d.requestState() && ctx.sender() != null) {
      ctx.reply(new Delta(set.all(), false));
    }
    if (from != null) {
      CompletableFuture<Void> join = pendingJoins.remove(from);
      if (join != null) {
        join.complete(null);
      }
    }
  }

  private void onDigest(ActorContext ctx, Digest d) {
    if (ctx.sender() == null) {
      return;
    }
    List<Member> newer = set.newerThan(d.entries());
    if (!newer.isEmpty()) {
      ctx.reply(new Delta(newer, false));
    }
    if (!d.reply() && set.behind(d.entries())) {
      ctx.reply(new Digest(set.digest(), true));
    }
  }

  private void onJoinProbed(JoinProbed j) {
    host.learn(j.seed());
    host.touch(j.seed().name());
    pendingJoins.put(j.seed().name(), j.done());
    host.tell(
        membershipOf(j.seed().name()),
        new Delta(set.all(), true),
        opts(deltaKeys.incrementAndGet()));
  }

  private void onLeave(Leave l) {
    selfVersion++;
    Member gone = new Member(host.self(), selfVersion, Status.LEFT);
    set.merge(List.of(gone));
    List<CompletableFuture<Object>> acks = new ArrayList<>();
    for (String peer : upPeers()) {
      acks.add(
          host.ask(
                  membershipOf(peer),
                  new Delta(List.of(gone), true),
                  Duration.ofSeconds(2),
                  ChannelSpec.MEMBERSHIP)
              .exceptionally(err -> null));
    }
    left = true;
    publishSnapshots();
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .whenComplete((v, err) -> l.done().complete(null));
  }

  /** Acts on entries that changed: addresses, events, and refuting stale news about ourselves. */
  private void apply(List<Member> changed) {
    for (Member m : changed) {
      String name = m.id().name();
      if (name.equals(host.self().name())) {
        if (m.id().incarnation() == host.self().incarnation()
            && m.status() == Status.LEFT
            && !left) {
          // Someone holds a stale "left" for this life: outvote it.
          selfVersion = m.version() + 1;
          set.merge(List.of(new Member(host.self(), selfVersion, Status.ALIVE)));
        }
        continue;
      }
      if (m.status() == Status.ALIVE) {
        host.learn(m.id());
        host.touch(name);
        down.remove(name);
        emit(new MembershipEvent.Joined(m.id()));
      } else {
        down.remove(name);
        emit(new MembershipEvent.Left(m.id()));
        // Give queued messages (such as our reply to its leave) a moment before dropping links.
        host.scheduler().schedule(() -> forgetIfStillGone(m), 2, TimeUnit.SECONDS);
      }
    }
    publishSnapshots();
  }

  private void forgetIfStillGone(Member m) {
    // Racy read of the actor's set is avoided by asking the actor through a snapshot check.
    for (NodeId n : membersSnapshot) {
      if (n.name().equals(m.id().name())) {
        return; // it came back with a new incarnation
      }
    }
    host.forget(m.id().name());
  }

  private void emit(MembershipEvent e) {
    host.membershipChanged(e);
    for (Consumer<MembershipEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        log.warn("membership listener failed on {}", e, ex);
      }
    }
  }

  private void publishSnapshots() {
    Set<NodeId> members = new HashSet<>();
    Set<NodeId> up = new HashSet<>();
    for (Member m : set.all()) {
      if (m.status() != Status.ALIVE) {
        continue;
      }
      if (m.id().name().equals(host.self().name()) && left) {
        continue;
      }
      members.add(m.id());
      if (!down.contains(m.id().name())) {
        up.add(m.id());
      }
    }
    membersSnapshot = Set.copyOf(members);
    upSnapshot = Set.copyOf(up);
  }
}
