package dev.partisan.kv.aae;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.aae.AaeMessages.KeyHash;
import dev.partisan.kv.aae.AaeMessages.KeysReply;
import dev.partisan.kv.aae.AaeMessages.KeysRequest;
import dev.partisan.kv.aae.AaeMessages.TreeReply;
import dev.partisan.kv.aae.AaeMessages.TreeRequest;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.coord.Coordination;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.vnode.VnodeControl;
import dev.partisan.kv.vnode.VnodeControl.VnodeInfo;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
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
 * It also answers partners' tree and key requests. Scans of the backend for keys run on a single
 * background thread, never on this actor or a vnode.
 *
 * <p>State: owned by this actor; the per-partition statistics are concurrent for {@link #status}.
 */
public final class AaeManager implements Actor {
  private static final Logger log = LoggerFactory.getLogger(AaeManager.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final int MAX_KEYS_PER_REPLY = 20_000;
  private static final long MAX_KEY_BYTES_PER_REPLY = 8L * 1024 * 1024;
  private static final int MAX_REPAIR_QUEUE = 100_000;

  /** Local: periodic work (exchanges, rebuilds, paced repairs). */
  public record Tick() {}

  private record Pair(int partition, long treeId, int partner) {}

  private record ExchangeDone(Pair pair, String partnerNode, List<BKey> differing, String error) {}

  private record RepairDone(int partition) {}

  private record RebuildDone(int partition) {}

  private record Repair(BKey key, int n, int partition) {}

  /** Per-partition figures, for the operator view. */
  private static final class Stats {
    volatile Instant lastExchange;
    volatile String lastPartner;
    volatile String lastError;
    final AtomicLong exchanges = new AtomicLong();
    final AtomicLong keysRepaired = new AtomicLong();
  }

  private final PartisanRuntime runtime;
  private final String self;
  private final VnodeManager vnodes;
  private final Backend backend;
  private final Supplier<RingView> ring;
  private final Coordination coordination;
  private final Function<BKey, BucketProps> props;
  private final KvConfig.AntiEntropy settings;
  private final ExecutorService scans;
  private final AtomicLong ids = new AtomicLong();

  // Owned by the actor.
  private final Map<Pair, Long> lastExchanged = new HashMap<>();
  private final Deque<Repair> repairs = new ArrayDeque<>();
  private int running;
  private int repairsInFlight;
  private double tokens;
  private long lastRefillNanos = System.nanoTime();
  private long lastRoundNanos = System.nanoTime(); // the first round waits one interval
  private long lastRebuildCheckNanos;
  private Integer rebuilding;
  private ActorRef me;

  // Read by other threads.
  private final Map<Integer, Stats> stats = new ConcurrentHashMap<>();
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong keysRepaired = new AtomicLong();
  private volatile int queued;
  private volatile int concurrency;
  private volatile int repairsPerSecond;

  public AaeManager(
      PartisanRuntime runtime,
      VnodeManager vnodes,
      Supplier<RingView> ring,
      Coordination coordination,
      Function<BKey, BucketProps> props,
      KvConfig.AntiEntropy settings,
      ExecutorService scans) {
    this.runtime = runtime;
    this.self = runtime.self().name();
    this.vnodes = vnodes;
    this.backend = vnodes.backend();
    this.ring = ring;
    this.coordination = coordination;
    this.props = props;
    this.settings = settings;
    this.scans = scans;
    this.concurrency = settings.concurrency();
    this.repairsPerSecond = settings.repairsPerSecond();
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
    if (n < 1) {
      throw new IllegalArgumentException("AAE repairs per second must be >= 1: " + n);
    }
    repairsPerSecond = n;
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
        repairsInFlight--;
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
    VnodeInfo oldest = null;
    for (VnodeInfo info : vnodes.infos().values()) {
      if (!r.owner(info.partition()).equals(self) || !"active".equals(info.mode())) {
        continue;
      }
      if (!info.treesBuilt() || info.treesBuiltAtMillis() < expiry) {
        if (oldest == null
            || (!info.treesBuilt() && oldest.treesBuilt())
            || info.treesBuiltAtMillis() < oldest.treesBuiltAtMillis()) {
          oldest = info;
        }
      }
    }
    if (oldest == null) {
      return;
    }
    ActorRef vnode = vnodes.running(oldest.partition());
    if (vnode == null) {
      return;
    }
    int p = oldest.partition();
    rebuilding = p;
    ActorRef self = me;
    log.debug("{}: rebuilding the hash trees of partition {}", this.self, p);
    runtime
        .ask(vnode, new VnodeControl.RebuildTrees(), REBUILD_TIMEOUT)
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
      if (!info.treesBuilt() || !r.owner(p).equals(self) || r.transfer(p).isPresent()) {
        continue;
      }
      for (long treeId : info.treeIds()) {
        int first = AaeTrees.firstPartitionOf(treeId);
        int n = AaeTrees.nValOf(treeId);
        for (int i = 0; i < n; i++) {
          int q = (first + i) % r.ringSize();
          if (q == p || r.transfer(q).isPresent()) {
            continue;
          }
          String owner = r.owner(q);
          if (owner.equals(self) || runtime.overlay().isUp(owner)) {
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

  // ------------------------------------------------------------------ one exchange

  private void exchange(Pair pair, String partnerNode) {
    ActorRef self = me;
    ActorRef vnode = vnodes.running(pair.partition());
    if (vnode == null) {
      runtime.tell(self, new ExchangeDone(pair, partnerNode, List.of(), "vnode not running"));
      return;
    }
    ActorRef partner = ActorRef.of(partnerNode, AaeMessages.MANAGER);
    SendOptions options = SendOptions.on(KvChannels.ANTI_ENTROPY).key(pair.partner());
    CompletableFuture<long[]> local =
        runtime
            .ask(vnode, new VnodeControl.TreeRequest(pair.treeId()), ASK_TIMEOUT)
            .thenApply(
                o -> {
                  VnodeControl.Tree t = (VnodeControl.Tree) o;
                  return t.built() ? t.segments() : null;
                });
    CompletableFuture<long[]> remote =
        runtime
            .ask(
                partner,
                new TreeRequest(ids.incrementAndGet(), pair.partner(), pair.treeId()),
                ASK_TIMEOUT,
                options)
            .thenApply(
                o -> {
                  TreeReply t = (TreeReply) o;
                  return t.ready() ? AaeTrees.unpack(t.segments()) : null;
                });
    local
        .thenCombine(remote, (a, b) -> new long[][] {a, b})
        .thenCompose(
            trees -> {
              if (trees[0] == null || trees[1] == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("trees not ready"));
              }
              if (trees[0].length != trees[1].length) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("trees of different sizes (segments setting)"));
              }
              int[] differing = AaeTrees.differingSegments(trees[0], trees[1]);
              if (differing.length == 0) {
                return CompletableFuture.completedFuture(List.<BKey>of());
              }
              List<Integer> segments = new ArrayList<>();
              for (int i = 0; i < differing.length && i < settings.maxSegmentsPerExchange(); i++) {
                segments.add(differing[i]);
              }
              CompletableFuture<Map<ByteBuffer, Long>> mine =
                  CompletableFuture.supplyAsync(
                      () -> toMap(scan(pair.partition(), pair.treeId(), segments)), scans);
              CompletableFuture<Map<ByteBuffer, Long>> theirs =
                  runtime
                      .ask(
                          partner,
                          new KeysRequest(
                              ids.incrementAndGet(), pair.partner(), pair.treeId(), segments),
                          ASK_TIMEOUT,
                          options)
                      .thenApply(
                          o -> {
                            KeysReply k = (KeysReply) o;
                            if (!k.ok()) {
                              throw new IllegalStateException("partner could not list keys");
                            }
                            return toMap(k.keys());
                          });
              return mine.thenCombine(theirs, AaeManager::differingKeys);
            })
        .whenComplete(
            (keys, e) ->
                runtime.tell(
                    self,
                    new ExchangeDone(
                        pair,
                        partnerNode,
                        keys == null ? List.of() : keys,
                        e == null ? null : rootCause(e))));
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static Map<ByteBuffer, Long> toMap(List<KeyHash> keys) {
    Map<ByteBuffer, Long> m = new HashMap<>(keys.size() * 2);
    for (KeyHash k : keys) {
      m.put(ByteBuffer.wrap(k.key()), k.hash());
    }
    return m;
  }

  /** Keys present on one side only, or with different versions. */
  private static List<BKey> differingKeys(Map<ByteBuffer, Long> a, Map<ByteBuffer, Long> b) {
    Set<ByteBuffer> out = new TreeSet<>();
    a.forEach(
        (k, h) -> {
          if (!h.equals(b.get(k))) {
            out.add(k);
          }
        });
    b.forEach(
        (k, h) -> {
          if (!h.equals(a.get(k))) {
            out.add(k);
          }
        });
    List<BKey> keys = new ArrayList<>(out.size());
    for (ByteBuffer k : out) {
      byte[] bytes = new byte[k.remaining()];
      k.duplicate().get(bytes);
      try {
        keys.add(BKey.fromStorageKey(bytes));
      } catch (IllegalArgumentException e) {
        log.warn("anti-entropy skips an unreadable key: {}", e.getMessage());
      }
    }
    return keys;
  }

  /**
   * The keys of one tree of a partition in the given segments, read from the backend (a snapshot
   * fold; writes racing it only cause a harmless extra repair).
   */
  private List<KeyHash> scan(int partition, long treeId, List<Integer> segments) {
    BitSet wanted = new BitSet(settings.segments());
    segments.forEach(wanted::set);
    int ringSize = ring.get().ring().ringSize();
    List<KeyHash> out = new ArrayList<>();
    long[] bytes = {0};
    backend.fold(
        partition,
        (k, v) -> {
          if (!wanted.get(AaeTrees.segmentOf(k, settings.segments()))) {
            return true;
          }
          try {
            BKey key = BKey.fromStorageKey(k);
            if (AaeTrees.treeFor(key, partition, ringSize, props.apply(key).nVal()) == treeId) {
              out.add(new KeyHash(k, ObjectCodec.versionHash(v)));
              bytes[0] += k.length + 16;
            }
          } catch (IllegalArgumentException e) {
            // unreadable key or object: the vnode reports it when it is read
          }
          return out.size() < MAX_KEYS_PER_REPLY && bytes[0] < MAX_KEY_BYTES_PER_REPLY;
        });
    return out;
  }

  private void onExchangeDone(ExchangeDone d) {
    running--;
    Stats s = stats.computeIfAbsent(d.pair().partition(), p -> new Stats());
    s.lastPartner = d.pair().partner() + "@" + d.partnerNode();
    s.lastError = d.error();
    if (d.error() != null) {
      log.debug(
          "{}: exchange of partition {} with {} failed: {}",
          self,
          d.pair().partition(),
          s.lastPartner,
          d.error());
      return;
    }
    s.lastExchange = Instant.now();
    s.exchanges.incrementAndGet();
    exchanges.incrementAndGet();
    if (d.differing().isEmpty()) {
      return;
    }
    log.info(
        "{}: anti-entropy found {} differing key(s) between partition {} and {}",
        self,
        d.differing().size(),
        d.pair().partition(),
        s.lastPartner);
    int n = AaeTrees.nValOf(d.pair().treeId());
    for (BKey key : d.differing()) {
      if (repairs.size() >= MAX_REPAIR_QUEUE) {
        break; // the next exchange finds the rest
      }
      repairs.add(new Repair(key, n, d.pair().partition()));
    }
    queued = repairs.size();
    pump();
  }

  // ------------------------------------------------------------------ paced repair

  private void pump() {
    long now = System.nanoTime();
    int rate = repairsPerSecond;
    tokens = Math.min(rate, tokens + (now - lastRefillNanos) / 1e9 * rate);
    lastRefillNanos = now;
    int maxInFlight = Math.max(4, rate / 5);
    ActorRef self = me;
    while (tokens >= 1 && !repairs.isEmpty() && repairsInFlight < maxInFlight) {
      Repair r = repairs.poll();
      tokens -= 1;
      repairsInFlight++;
      stats.computeIfAbsent(r.partition(), p -> new Stats()).keysRepaired.incrementAndGet();
      keysRepaired.incrementAndGet();
      coordination
          .repairRead(r.key(), r.n())
          .whenComplete((g, e) -> runtime.tell(self, new RepairDone(r.partition())));
    }
    queued = repairs.size();
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
        .ask(vnode, new VnodeControl.TreeRequest(r.treeId()), ASK_TIMEOUT)
        .whenComplete(
            (o, e) -> {
              TreeReply reply =
                  o instanceof VnodeControl.Tree t && t.built()
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
    CompletableFuture.supplyAsync(() -> scan(r.partition(), r.treeId(), r.segments()), scans)
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
    RingState r = ring.get().ring();
    List<AaeStatus.Partition> out = new ArrayList<>();
    for (VnodeInfo info : vnodes.infos().values()) {
      Stats s = stats.get(info.partition());
      out.add(
          new AaeStatus.Partition(
              info.partition(),
              r.owner(info.partition()).equals(self),
              info.treesBuilt(),
              info.treesBuiltAtMillis() == 0
                  ? null
                  : Instant.ofEpochMilli(info.treesBuiltAtMillis()),
              s == null ? null : s.lastExchange,
              s == null ? null : s.lastPartner,
              s == null ? 0 : s.exchanges.get(),
              s == null ? 0 : s.keysRepaired.get(),
              s == null ? null : s.lastError));
    }
    return new AaeStatus(settings.enabled(), out, exchanges.get(), keysRepaired.get(), queued);
  }
}
