package dev.partisan.kv.ring;

import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.ring.RingMessages.BucketTable;
import dev.partisan.kv.ring.RingMessages.JoinReply;
import dev.partisan.kv.ring.RingMessages.JoinRequest;
import dev.partisan.kv.ring.RingMessages.RingGossip;
import dev.partisan.kv.vnode.VnodeManager;
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
import io.netty.buffer.Unpooled;
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
 * RingState#merge}, and tells the vnode manager when ownership changes.
 *
 * <p>As the ring's claimant it applies joins (stage, plan, commit) and, on every tick, {@link
 * Claimant#advance}. As the source of a pending transfer it marks the transfer complete when the
 * partition holds no data, since there is nothing to hand off; partitions with data wait for
 * handoff (a later issue).
 *
 * <p>State: {@code ring} is owned by this actor; {@code view} is a volatile snapshot any thread
 * reads.
 */
public final class RingManager implements Actor {
  public static final String NAME = "kv-ring";
  private static final Logger log = LoggerFactory.getLogger(RingManager.class);
  private static final String RING_META = "ring";
  private static final String BUCKETS_META = "buckets";

  /** Local: periodic work (claimant advance, empty transfers, anti-entropy gossip). */
  public record Tick() {}

  /** Local: a membership event from the overlay. */
  record Membership(MembershipEvent event) {}

  /** Local: replace a never-clustered ring with a bootstrapped one for these nodes. */
  public record FormCluster(Collection<String> nodes, CompletableFuture<RingState> done) {}

  /** Local: a bucket property entry was set here; persist and spread it. */
  public record BucketsChanged() {}

  private final PartisanRuntime runtime;
  private final String self;
  private final MetaStore meta;
  private final VnodeManager vnodes;
  private final BucketRegistry buckets;
  private final ClaimOptions claimOptions;
  private final List<Consumer<RingView>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private RingState ring;
  private volatile RingView view;

  public RingManager(
      PartisanRuntime runtime,
      MetaStore meta,
      VnodeManager vnodes,
      BucketRegistry buckets,
      int ringSize,
      ClaimOptions claimOptions) {
    this.runtime = runtime;
    this.self = runtime.self().name();
    this.meta = meta;
    this.vnodes = vnodes;
    this.buckets = buckets;
    this.claimOptions = claimOptions;
    this.ring = loadRing(ringSize);
    loadBuckets();
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

  private void loadBuckets() {
    byte[] bytes = meta.get(BUCKETS_META);
    if (bytes == null) {
      return;
    }
    try {
      int id = runtime.types().idOf(BucketTable.class);
      BucketTable t = (BucketTable) runtime.types().decodeBody(id, Unpooled.wrappedBuffer(bytes));
      t.entries().forEach(buckets::merge);
    } catch (RuntimeException e) {
      log.error("{}: stored bucket properties are unreadable: {}", self, e.getMessage());
    }
  }

  /** Called once the actor is spawned: starts owned vnodes, then follows membership. */
  public void start(ActorRef me) {
    vnodes.startNonEmpty(ring.ringSize());
    vnodes.reconcile(p -> view.owns(self, p), ring.ringSize());
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
      case JoinRequest j -> onJoin(ctx, j);
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
    boolean senderBehind = !merged.equals(incoming) || bucketsNewerHere(g.buckets());
    if (senderBehind && ctx.sender() != null) {
      send(ctx.sender().node()); // push-pull: the sender learns what it lacks
    }
  }

  private boolean bucketsNewerHere(List<BucketPropsEntry> theirs) {
    return buckets.entries().size() > theirs.size()
        || !new java.util.HashSet<>(theirs).containsAll(buckets.entries());
  }

  /** True while this node has never been part of a cluster: its ring is replaced, not merged. */
  private boolean isAlone() {
    return ring.members().size() == 1 && ring.isMember(self);
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
        new RingGossip(ring.toBytes(), buckets.entries()),
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
    vnodes.reconcile(p -> v.owns(self, p), next.ringSize());
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
    try {
      meta.put(BUCKETS_META, runtime.encode(new BucketTable(buckets.entries())).body());
    } catch (RuntimeException e) {
      log.error("{}: could not persist bucket properties: {}", self, e.getMessage());
    }
  }

  // ------------------------------------------------------------------ periodic work

  private void onTick() {
    RingState next = ring;
    for (Transfer t : ring.transfersFrom(self)) {
      if (t.state() != TransferState.COMPLETE && vnodes.isEmpty(t.partition())) {
        // Nothing to hand off: the move is complete as soon as it is planned.
        next = next.withTransferState(t.partition(), self, t.to(), TransferState.COMPLETE);
      }
    }
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
      if (!runtime.overlay().isUp(claimant)) {
        ctx.reply(new JoinReply(false, "the claimant " + claimant + " is down", ring.version()));
        return;
      }
      // Forward with the original sender, so the claimant answers the joiner directly.
      runtime.tell(
          ActorRef.of(claimant, NAME), j, SendOptions.on(ctx.channel()).from(ctx.sender()));
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
