package dev.partisan.kv.ring;

import dev.partisan.kv.ClusterChangeException.Reason;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.ring.RingMessages.ClusterChangeReply;
import dev.partisan.kv.ring.RingMessages.ClusterChangeRequest;
import dev.partisan.kv.ring.RingMessages.JoinReply;
import dev.partisan.kv.ring.RingMessages.JoinRequest;
import dev.partisan.kv.ring.RingMessages.RingGossip;
import dev.partisan.kv.ring.RingMessages.TypeProbe;
import dev.partisan.kv.ring.RingMessages.TypeProbeReply;
import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.Claimant;
import dev.partisan.ring.ClusterPlan;
import dev.partisan.ring.MalformedRingException;
import dev.partisan.ring.RingState;
import dev.partisan.ring.StagedChanges;
import dev.partisan.ring.Transfer;
import dev.partisan.ring.TransferState;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.MembershipEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's view of the ring: keeps the current {@link RingState}, persists it, gossips it
 * (with the bucket properties) on the monotonic {@code membership} channel under the key {@code
 * "ring"} so only the newest queued state is ever sent, merges what peers send with {@link
 * RingState#merge}, and tells its ownership listener (the node's vnode manager) every ring it
 * adopts, first of all, so vnodes start and retire before anyone else reacts to the change.
 *
 * <p>As the ring's claimant it applies joins and staged leave/remove changes (plan, commit) and, on
 * every tick, {@link Claimant#advance}. Transfer marks come from the handoff manager ({@link
 * MarkTransfer}) when a partition's handoff has begun and when it is complete.
 *
 * <p>State: {@code ring} is owned by this actor; {@code view} is a volatile snapshot any thread
 * reads.
 */
public final class RingManager implements Actor {
  public static final String NAME = "kv-ring";
  private static final Logger log = LoggerFactory.getLogger(RingManager.class);
  private static final String RING_META = "ring";
  private static final java.time.Duration RELAY_TIMEOUT = java.time.Duration.ofSeconds(25);

  /** Local: periodic work (claimant advance, empty transfers, anti-entropy gossip). */
  public record Tick() {}

  /** Local: a membership event from the overlay. */
  record Membership(MembershipEvent event) {}

  /** Local: replace a never-clustered ring with a bootstrapped one for these nodes. */
  public record FormCluster(Collection<String> nodes, CompletableFuture<RingState> done) {}

  /** Local: a bucket property entry or bucket type was set here; persist and spread it. */
  public record BucketsChanged() {}

  /** Local: record handoff progress of a pending transfer (from the handoff manager). */
  public record MarkTransfer(int partition, String from, String to, TransferState state) {}

  private final PartisanRuntime runtime;
  private final String self;
  private final MetaStore meta;
  private final Consumer<RingView> ownership;
  private final BucketRegistry buckets;
  private final BucketTables tables;
  private final ClaimOptions claimOptions;
  private final List<Consumer<RingView>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private RingState ring;
  private volatile RingView view;

  public RingManager(
      PartisanRuntime runtime,
      MetaStore meta,
      Consumer<RingView> ownership,
      BucketRegistry buckets,
      int ringSize,
      ClaimOptions claimOptions) {
    this.runtime = runtime;
    this.self = runtime.self().name();
    this.meta = meta;
    this.ownership = ownership;
    this.buckets = buckets;
    this.claimOptions = claimOptions;
    this.ring = loadRing(ringSize);
    this.tables = new BucketTables(runtime, meta, buckets);
    tables.load();
    this.view = RingView.of(ring);
  }

  private RingState loadRing(int ringSize) {
    byte[] bytes = meta.get(RING_META);
    if (bytes != null) {
      try {
        RingState stored = RingState.fromBytes(bytes);
        if (stored.isMember(self)) {
          log.info(
              "{}: loaded ring version {} ({} members)",
              self,
              stored.version(),
              stored.members().size());
          return stored;
        }
        log.warn("{}: the stored ring does not list this node; starting a new ring", self);
      } catch (MalformedRingException e) {
        log.error(
            "{}: the stored ring is unreadable ({}); starting a new ring", self, e.getMessage());
      }
    }
    return RingState.singleNode(ringSize, self);
  }

  /**
   * Called once the actor is spawned: tells the ownership listener the ring it starts with, then
   * follows membership.
   */
  public void start(ActorRef me) {
    ownership.accept(view);
    runtime.overlay().subscribe(e -> runtime.tell(me, new Membership(e)));
  }

  /** The current ring; any thread. */
  public RingView view() {
    return view;
  }

  /** Called on the ring manager's thread after each change. */
  public void onChange(Consumer<RingView> listener) {
    listeners.add(listener);
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    switch (message) {
      case RingGossip g -> onGossip(ctx, g);
      case TypeProbe p -> ctx.reply(new TypeProbeReply(self, knowsType(p)));
      case JoinRequest j -> onJoin(ctx, j);
      case ClusterChangeRequest c -> onClusterChange(ctx, c);
      case MarkTransfer m -> onMark(m);
      case Tick t -> onTick();
      case Membership m -> onMembership(m.event());
      case FormCluster f -> onFormCluster(f);
      case BucketsChanged b -> {
        persistBuckets();
        gossipToAll();
      }
      default -> log.warn("ring manager ignores {}", message.getClass().getSimpleName());
    }
  }

  // ------------------------------------------------------------------ gossip

  private void onGossip(ActorContext ctx, RingGossip g) {
    boolean bucketsChanged = false;
    for (BucketPropsEntry e : g.buckets()) {
      bucketsChanged |= buckets.merge(e);
    }
    for (BucketTypeEntry e : g.types()) {
      bucketsChanged |= buckets.types().merge(e);
    }
    if (bucketsChanged) {
      persistBuckets();
    }
    RingState incoming;
    try {
      incoming = RingState.fromBytes(g.ring());
    } catch (MalformedRingException e) {
      log.warn("{}: ignoring a malformed ring from {}: {}", self, ctx.sender(), e.getMessage());
      return;
    }
    if (!incoming.isMember(self)) {
      return; // another cluster's ring, or one from before this node joined
    }
    RingState merged = isAlone() ? incoming : RingState.merge(ring, incoming);
    if (!merged.equals(ring)) {
      adopt(merged);
    }
    boolean senderBehind =
        !merged.equals(incoming) || bucketsNewerHere(g.buckets()) || typesNewerHere(g.types());
    if (senderBehind && ctx.sender() != null) {
      send(ctx.sender().node()); // push-pull: the sender learns what it lacks
    }
  }

  private boolean bucketsNewerHere(List<BucketPropsEntry> theirs) {
    return buckets.entries().size() > theirs.size()
        || !new java.util.HashSet<>(theirs).containsAll(buckets.entries());
  }

  private boolean typesNewerHere(List<BucketTypeEntry> theirs) {
    return !new java.util.HashSet<>(theirs).containsAll(buckets.types().entries());
  }

  private boolean knowsType(TypeProbe p) {
    return buckets.types().get(p.name()).map(e -> e.stamp() >= p.stamp()).orElse(false);
  }

  /**
   * True while this node has never been part of a cluster: its ring is replaced, not merged. A ring
   * that lists only this node after cluster changes (the others were removed) has a version above
   * the initial 1 and is merged as usual, so an old ring of the removed nodes cannot replace it.
   */
  private boolean isAlone() {
    return ring.members().size() == 1 && ring.isMember(self) && ring.version() <= 1;
  }

  private void gossipToAll() {
    for (String member : ring.members().keySet()) {
      if (!member.equals(self) && runtime.overlay().isUp(member)) {
        send(member);
      }
    }
  }

  private void send(String node) {
    runtime.tell(
        ActorRef.of(node, NAME),
        new RingGossip(ring.toBytes(), buckets.entries(), buckets.types().entries()),
        SendOptions.on(ChannelSpec.MEMBERSHIP).key("ring").from(ActorRef.of(runtime.self(), NAME)));
  }

  private void adopt(RingState next) {
    long before = ring.version();
    ring = next;
    try {
      meta.put(RING_META, next.toBytes());
    } catch (BackendException e) {
      log.error("{}: could not persist ring version {}: {}", self, next.version(), e.getMessage());
    }
    RingView v = RingView.of(next);
    view = v;
    if (before != next.version()) {
      log.info(
          "{}: ring version {} -> {}, owners {}", self, before, next.version(), ownedCount(next));
    }
    ownership.accept(v);
    for (Consumer<RingView> l : listeners) {
      l.accept(v);
    }
  }

  private String ownedCount(RingState r) {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (String o : r.owners()) {
      counts.merge(o, 1, Integer::sum);
    }
    return counts.toString();
  }

  private void persistBuckets() {
    tables.persist();
  }

  // ------------------------------------------------------------------ periodic work

  private void onMark(MarkTransfer m) {
    Transfer t = ring.transfer(m.partition()).orElse(null);
    if (t == null || !t.from().equals(m.from()) || !t.to().equals(m.to())) {
      return; // finalised or replanned meanwhile
    }
    RingState next = ring.withTransferState(m.partition(), m.from(), m.to(), m.state());
    if (next != ring) {
      adopt(next);
      gossipToAll();
    }
  }

  private void onTick() {
    RingState next = ring;
    if (next.claimant().equals(self)) {
      next = Claimant.advance(next);
    }
    if (!next.equals(ring)) {
      adopt(next);
      gossipToAll();
      return;
    }
    List<String> peers = new ArrayList<>();
    for (String member : ring.members().keySet()) {
      if (!member.equals(self) && runtime.overlay().isUp(member)) {
        peers.add(member);
      }
    }
    if (!peers.isEmpty()) {
      send(peers.get(ThreadLocalRandom.current().nextInt(peers.size())));
    }
  }

  private void onMembership(MembershipEvent e) {
    String node = e.node().name();
    if ((e instanceof MembershipEvent.Up || e instanceof MembershipEvent.Joined)
        && ring.isMember(node)
        && !node.equals(self)) {
      send(node);
    }
  }

  // ------------------------------------------------------------------ cluster changes

  private void onJoin(ActorContext ctx, JoinRequest j) {
    String claimant = ring.claimant();
    if (!claimant.equals(self)) {
      if (!runtime.isUp(claimant)) {
        ctx.reply(new JoinReply(false, "the claimant " + claimant + " is down", ring.version()));
        return;
      }
      relayToClaimant(
          ctx, j, e -> new JoinReply(false, "the claimant did not answer: " + e, ring.version()));
      return;
    }
    if (ring.isMember(j.node())) {
      ctx.reply(new JoinReply(true, j.node() + " is already a member", ring.version()));
      gossipToAll();
      return;
    }
    boolean known = runtime.overlay().members().stream().anyMatch(n -> n.name().equals(j.node()));
    if (!known) {
      ctx.reply(
          new JoinReply(false, j.node() + " has not joined the cluster's overlay", ring.version()));
      return;
    }
    try {
      ClusterPlan plan = Claimant.plan(ring, StagedChanges.none().join(j.node()), claimOptions);
      adopt(Claimant.commit(ring, plan));
      log.info("{}: committed join of {}:\n{}", self, j.node(), plan.describe());
      gossipToAll();
      ctx.reply(new JoinReply(true, "joined", ring.version()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      ctx.reply(new JoinReply(false, e.getMessage(), ring.version()));
    }
  }

  private void onClusterChange(ActorContext ctx, ClusterChangeRequest c) {
    String claimant = ring.claimant();
    if (!claimant.equals(self)) {
      if (!runtime.isUp(claimant)) {
        ctx.reply(
            new ClusterChangeReply(
                false,
                Reason.UNAVAILABLE,
                "the claimant " + claimant + " is down",
                ring.version(),
                null));
        return;
      }
      relayToClaimant(
          ctx,
          c,
          e ->
              new ClusterChangeReply(
                  false,
                  Reason.UNAVAILABLE,
                  "the claimant did not answer: " + e,
                  ring.version(),
                  null));
      return;
    }
    if (c.baseVersion() >= 0
        && (c.baseVersion() != ring.version() || !ring.structureDigest().equals(c.baseDigest()))) {
      ctx.reply(
          new ClusterChangeReply(
              false,
              Reason.STALE,
              "the ring has changed since the plan (planned against version "
                  + c.baseVersion()
                  + ", ring is now version "
                  + ring.version()
                  + "): plan again",
              ring.version(),
              null));
      return;
    }
    try {
      StagedChanges staged = StagedChanges.none();
      for (RingMessages.StagedChange change : c.changes()) {
        staged =
            switch (change.kind()) {
              case "join" -> {
                boolean known =
                    runtime.overlay().members().stream()
                        .anyMatch(n -> n.name().equals(change.node()));
                if (!known) {
                  throw new IllegalArgumentException(
                      change.node() + " has not joined the cluster's overlay");
                }
                yield staged.join(change.node());
              }
              case "leave" -> staged.leave(change.node());
              case "remove" -> staged.remove(change.node());
              default ->
                  throw new IllegalArgumentException("unknown cluster change " + change.kind());
            };
      }
      if (staged.isEmpty()) {
        throw new IllegalArgumentException("there are no staged changes");
      }
      ClusterPlan plan = Claimant.plan(ring, staged, claimOptions);
      adopt(Claimant.commit(ring, plan));
      log.info("{}: committed {}:\n{}", self, staged, plan.describe());
      gossipToAll();
      ctx.reply(new ClusterChangeReply(true, null, "committed", ring.version(), plan.describe()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      ctx.reply(
          new ClusterChangeReply(false, Reason.INVALID, e.getMessage(), ring.version(), null));
    }
  }

  /**
   * Asks the claimant and passes its answer back to this request's sender. (A remote message's
   * sender is named by the node it came from, so the claimant could not answer a third node's asker
   * directly.)
   */
  private void relayToClaimant(
      ActorContext ctx, Object request, java.util.function.Function<String, Object> onFailure) {
    ActorRef replyTo = ctx.sender();
    SendOptions options = SendOptions.on(ctx.channel());
    runtime
        .ask(ActorRef.of(ring.claimant(), NAME), request, RELAY_TIMEOUT, options)
        .whenComplete(
            (reply, e) -> {
              if (replyTo != null) {
                runtime.tell(replyTo, e == null ? reply : onFailure.apply(e.toString()), options);
              }
            });
  }

  private void onFormCluster(FormCluster f) {
    try {
      Set<String> nodes = new TreeSet<>(f.nodes());
      if (!nodes.contains(self)) {
        throw new IllegalArgumentException("the cluster must include this node (" + self + ")");
      }
      if (!isAlone()) {
        throw new IllegalStateException(
            "this node is already part of a cluster: " + ring.members().keySet());
      }
      adopt(RingState.bootstrap(ring.ringSize(), nodes, claimOptions));
      gossipToAll();
      f.done().complete(ring);
    } catch (RuntimeException e) {
      f.done().completeExceptionally(e);
    }
  }
}
