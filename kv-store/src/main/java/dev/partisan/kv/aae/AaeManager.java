package dev.partisan.kv.aae;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.aae.AaeMessages.KeysReply;
import dev.partisan.kv.aae.AaeMessages.KeysRequest;
import dev.partisan.kv.aae.AaeMessages.TreeReply;
import dev.partisan.kv.aae.AaeMessages.TreeRequest;
import dev.partisan.kv.aae.TreeControl.TreeSummary;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.vnode.VnodeInfo;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active anti-entropy for this node (actor {@value AaeMessages#MANAGER}), in the manner of riak's
 * entropy manager with tictac trees.
 *
 * <ul>
 *   <li><b>Trees</b> live in the vnodes, updated on every write ({@link AaeTrees}). This manager
 *       has them built when a vnode starts with data, and rebuilt from the backend when older than
 *       {@code rebuildInterval}, one vnode at a time.
 *   <li><b>Exchanges.</b> Every {@code exchangeInterval} it starts up to {@code concurrency}
 *       exchanges, least recently exchanged first. An exchange compares one tree (one preference
 *       list) of a partition this node owns with the same tree of another replica of that list:
 *       segment hashes first, then, for the segments that differ (at most {@code
 *       maxSegmentsPerExchange}), the keys and version hashes in them. Partitions with a pending
 *       transfer are skipped; their data is moving.
 *   <li><b>Repair.</b> Every key that differs is repaired by a read of all its replicas whose read
 *       repair writes the merged object to each replica missing it or holding an older version, at
 *       most {@code repairsPerSecond} keys per second, so repairs never starve requests.
 * </ul>
 *
 * It also answers partners' tree and key requests. Scans of the backend for keys ({@link
 * KeyScanner}) run on a single background thread, never on this actor or a vnode; one exchange's
 * steps are {@link Exchanges}'s, the paced repairs {@link RepairQueue}'s.
 *
 * <p>State: owned by this actor; {@link AaeStats} is concurrent for {@link #status}.
 */
public final class AaeManager implements Actor {
  private static final Logger log = LoggerFactory.getLogger(AaeManager.class);
  private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(30);

  /** Local: periodic work (exchanges, rebuilds, paced repairs). */
  public record Tick() {}

  private record Pair(int partition, long treeId, int partner) {}

  private record ExchangeDone(Pair pair, String partnerNode, List<BKey> differing, String error) {}

  private record RepairDone(int partition) {}

  private record RebuildDone(int partition) {}

  private final PartisanRuntime runtime;
  private final String self;
  private final VnodeManager vnodes;
  private final Supplier<RingView> ring;
  private final KvConfig.AntiEntropy settings;
  private final ExecutorService scans;
  private final KeyScanner scanner;
  private final Exchanges exchanges;
  private final AaeStats stats = new AaeStats();
  private final RepairQueue repairs;

  // Owned by the actor.
  private final Map<Pair, Long> lastExchanged = new HashMap<>();
  private int running;
  private long lastRoundNanos = System.nanoTime(); // the first round waits one interval
  private long lastRebuildCheckNanos;
  private Integer rebuilding;
  private ActorRef me;

  // Read by other threads.
  private volatile int concurrency;

  public AaeManager(
      PartisanRuntime runtime,
      VnodeManager vnodes,
      Supplier<RingView> ring,
      KeyRepair repair,
      Function<BKey, BucketProps> props,
      KvConfig.AntiEntropy settings,
      ExecutorService scans) {
    this.runtime = runtime;
    this.self = runtime.self().name();
    this.vnodes = vnodes;
    this.ring = ring;
    this.settings = settings;
    this.scans = scans;
    this.scanner =
        new KeyScanner(
            vnodes.backend(), () -> ring.get().ring().ringSize(), props, settings.segments());
    this.exchanges = new Exchanges(runtime, scanner, scans, settings.maxSegmentsPerExchange());
    this.repairs = new RepairQueue(repair, stats, settings.repairsPerSecond());
    this.concurrency = settings.concurrency();
  }

  /** Changes the exchanges run at once (0 pauses exchanges); any thread. */
  public void setConcurrency(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("AAE concurrency must be >= 0: " + n);
    }
    concurrency = n;
  }

  /** Changes the repair rate limit; any thread. */
  public void setRepairsPerSecond(int n) {
    repairs.setRate(n);
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (me == null) {
      me = ctx.self();
    }
    switch (message) {
      case Tick t -> tick();
      case TreeRequest r -> serveTree(ctx, r);
      case KeysRequest r -> serveKeys(ctx, r);
      case ExchangeDone d -> onExchangeDone(d);
      case RepairDone d -> {
        repairs.done();
        pump();
      }
      case RebuildDone d -> rebuilding = null;
      default -> log.warn("anti-entropy manager ignores {}", message.getClass().getSimpleName());
    }
  }

  // ------------------------------------------------------------------ periodic work

  private void tick() {
    long now = System.nanoTime();
    if (now - lastRebuildCheckNanos >= 1_000_000_000L) {
      lastRebuildCheckNanos = now;
      maybeRebuild();
    }
    if (now - lastRoundNanos >= settings.exchangeInterval().toNanos()) {
      lastRoundNanos = now;
      startExchanges();
    }
    pump();
  }

  private void maybeRebuild() {
    if (rebuilding != null) {
      return;
    }
    RingState r = ring.get().ring();
    long expiry = System.currentTimeMillis() - settings.rebuildInterval().toMillis();
    int oldest = -1;
    TreeSummary oldestTrees = null;
    for (VnodeInfo info : vnodes.infos().values()) {
      if (!r.owner(info.partition()).equals(self) || !"active".equals(info.mode())) {
        continue;
      }
      TreeSummary t = AaeStats.trees(info);
      if (!t.built() || t.builtAtMillis() < expiry) {
        if (oldestTrees == null
            || (!t.built() && oldestTrees.built())
            || t.builtAtMillis() < oldestTrees.builtAtMillis()) {
          oldest = info.partition();
          oldestTrees = t;
        }
      }
    }
    if (oldestTrees == null) {
      return;
    }
    ActorRef vnode = vnodes.running(oldest);
    if (vnode == null) {
      return;
    }
    int p = oldest;
    rebuilding = p;
    ActorRef self = me;
    log.debug("{}: rebuilding the hash trees of partition {}", this.self, p);
    runtime
        .ask(vnode, new TreeControl.RebuildTrees(), REBUILD_TIMEOUT)
        .whenComplete((v, e) -> runtime.tell(self, new RebuildDone(p)));
  }

  private void startExchanges() {
    int slots = concurrency - running;
    if (slots <= 0) {
      return;
    }
    RingState r = ring.get().ring();
    Map<Integer, VnodeInfo> infos = vnodes.infos();
    List<Pair> candidates = new ArrayList<>();
    for (VnodeInfo info : infos.values()) {
      int p = info.partition();
      TreeSummary trees = AaeStats.trees(info);
      if (!trees.built() || !r.owner(p).equals(self) || r.transfer(p).isPresent()) {
        continue;
      }
      for (long treeId : trees.treeIds()) {
        int first = AaeTrees.firstPartitionOf(treeId);
        int n = AaeTrees.nValOf(treeId);
        for (int i = 0; i < n; i++) {
          int q = (first + i) % r.ringSize();
          if (q == p || r.transfer(q).isPresent()) {
            continue;
          }
          if (runtime.isUp(r.owner(q))) {
            candidates.add(new Pair(p, treeId, q));
          }
        }
      }
    }
    candidates.sort(Comparator.comparingLong(c -> lastExchanged.getOrDefault(c, 0L)));
    for (Pair pair : candidates) {
      if (slots-- <= 0) {
        break;
      }
      lastExchanged.put(pair, System.nanoTime());
      running++;
      exchange(pair, r.owner(pair.partner()));
    }
    lastExchanged.keySet().retainAll(new java.util.HashSet<>(candidates));
  }

  private void exchange(Pair pair, String partnerNode) {
    ActorRef self = me;
    ActorRef vnode = vnodes.running(pair.partition());
    if (vnode == null) {
      runtime.tell(self, new ExchangeDone(pair, partnerNode, List.of(), "vnode not running"));
      return;
    }
    exchanges
        .run(vnode, pair.partition(), pair.treeId(), partnerNode, pair.partner())
        .whenComplete(
            (keys, e) ->
                runtime.tell(
                    self,
                    new ExchangeDone(
                        pair,
                        partnerNode,
                        keys == null ? List.of() : keys,
                        e == null ? null : Exchanges.rootCause(e))));
  }

  private void onExchangeDone(ExchangeDone d) {
    running--;
    int partition = d.pair().partition();
    String partner = d.pair().partner() + "@" + d.partnerNode();
    stats.exchangeEnded(partition, partner, d.error());
    if (d.error() != null) {
      log.debug(
          "{}: exchange of partition {} with {} failed: {}", self, partition, partner, d.error());
      return;
    }
    if (d.differing().isEmpty()) {
      return;
    }
    log.info(
        "{}: anti-entropy found {} differing key(s) between partition {} and {}",
        self,
        d.differing().size(),
        partition,
        partner);
    repairs.add(d.differing(), AaeTrees.nValOf(d.pair().treeId()), partition);
    pump();
  }

  private void pump() {
    ActorRef self = me;
    repairs.pump(partition -> runtime.tell(self, new RepairDone(partition)));
  }

  // ------------------------------------------------------------------ serving partners

  private void serveTree(ActorContext ctx, TreeRequest r) {
    ActorRef vnode = vnodes.running(r.partition());
    ActorRef replyTo = ctx.sender();
    if (vnode == null || !ring.get().owns(self, r.partition()) || replyTo == null) {
      ctx.reply(new TreeReply(r.id(), false, new byte[0]));
      return;
    }
    runtime
        .ask(vnode, new TreeControl.ReadTree(r.treeId()), Exchanges.ASK_TIMEOUT)
        .whenComplete(
            (o, e) -> {
              TreeReply reply =
                  o instanceof TreeControl.Tree t && t.built()
                      ? new TreeReply(r.id(), true, AaeTrees.pack(t.segments()))
                      : new TreeReply(r.id(), false, new byte[0]);
              runtime.tell(
                  replyTo, reply, SendOptions.on(KvChannels.ANTI_ENTROPY).key(r.partition()));
            });
  }

  private void serveKeys(ActorContext ctx, KeysRequest r) {
    ActorRef replyTo = ctx.sender();
    if (replyTo == null) {
      return;
    }
    CompletableFuture.supplyAsync(
            () -> scanner.scan(r.partition(), r.treeId(), r.segments()), scans)
        .whenComplete(
            (keys, e) ->
                runtime.tell(
                    replyTo,
                    new KeysReply(r.id(), e == null, e == null ? keys : List.of()),
                    SendOptions.on(KvChannels.ANTI_ENTROPY).key(r.partition())));
  }

  // ------------------------------------------------------------------ operator view

  /** A snapshot for operators; any thread. */
  public AaeStatus status() {
    return stats.status(
        settings.enabled(), self, ring.get().ring(), vnodes.infos().values(), repairs.queued());
  }
}
