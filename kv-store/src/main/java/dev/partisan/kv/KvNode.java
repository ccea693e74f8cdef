package dev.partisan.kv;

import dev.partisan.kv.aae.AaeManager;
import dev.partisan.kv.aae.AaeMessages;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.kv.coord.Coordination;
import dev.partisan.kv.coverage.CoverageService;
import dev.partisan.kv.coverage.IndexKeys;
import dev.partisan.kv.handoff.HandoffManager;
import dev.partisan.kv.handoff.HandoffMessages;
import dev.partisan.kv.metadata.ClusterMetadata;
import dev.partisan.kv.replica.KvVnode;
import dev.partisan.kv.report.NodeReports;
import dev.partisan.kv.ring.BucketPropsEntry;
import dev.partisan.kv.ring.BucketRegistry;
import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.kv.vnode.VnodeExecutors;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.kv.vnode.VnodeRouter;
import dev.partisan.kv.wire.KvTypes;
import dev.partisan.ring.Claimant;
import dev.partisan.ring.ClusterPlan;
import dev.partisan.ring.RingState;
import dev.partisan.ring.StagedChanges;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.TrafficClass;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the KV store: a Partisan runtime with the KV channels, a storage backend, the ring
 * manager, the vnodes and the coordinators, and an in-process {@link KvClient}.
 *
 * <p>Forming a cluster: start each node, then either {@link #formCluster} on one node with every
 * node's name (a fresh cluster, ownership claimed at once), or {@link #join} each new node to any
 * member (the claimant stages, plans and commits the join; partitions move by handoff). Nodes leave
 * with {@link #leave()} (they hand everything off, then {@link #exited()} completes) and dead nodes
 * are removed with {@link #remove}.
 *
 * <p>Background data movement: the handoff manager (ownership and hinted handoff, on the {@code
 * handoff} channel) and active anti-entropy (hash-tree exchanges on the {@code anti-entropy}
 * channel); {@link #handoffStatus()} and {@link #aaeStatus()} show what they do. See
 * docs/handoff-and-aae.md.
 */
public final class KvNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KvNode.class);

  private final KvConfig config;
  private final PartisanRuntime runtime;
  private final Backend backend;
  private final VnodeManager vnodes;
  private final BucketRegistry buckets;
  private final BucketTypes bucketTypes;
  private final RingManager ringManager;
  private final ActorRef ringRef;
  private final KvStats stats = new KvStats();
  private final KvClient client;
  private final HandoffManager handoff;
  private final AaeManager aae;
  private final CoverageService coverage;
  private final ExecutorService aaeScans;
  private final VnodeExecutors vnodeThreads;
  private final ClusterAdmin admin;
  private final SecurityService security;
  private final Ticks ticks;
  private final NodeReports reports;
  private final AtomicLong bucketStamps = new AtomicLong();
  private volatile boolean closed;

  private KvNode(KvConfig config, RuntimeConfig.Builder runtimeConfig, Backend backend) {
    this.config = config;
    this.backend = backend;
    backend.useIndexes(IndexKeys.extractor()); // before any write: see docs/2i.md
    PartisanRuntime rt = null;
    VnodeExecutors pools = null;
    try {
      rt = PartisanRuntime.start(KvChannels.declare(runtimeConfig, config), KvTypes::register);
      this.runtime = rt;
      TrafficClass bulkClass = bulkClass(runtime);
      pools =
          new VnodeExecutors(
              runtime.self().name(),
              VnodeExecutors.defaultRequestThreads(),
              config.bulkThreads(),
              bulkClass);
      this.vnodeThreads = pools;
      this.buckets = new BucketRegistry(config.bucketDefaults());
      this.vnodes =
          new VnodeManager(
              runtime,
              backend,
              KvChannels.REQUEST,
              config.vnodeMailboxCapacity(),
              config.handoff().forwardingGrace(),
              config.handoff().writePath(),
              KvVnode.factory(
                  runtime.self().name(),
                  backend,
                  new KvVnode.Settings(
                      buckets::propsFor,
                      this::currentRingSize,
                      config.antiEntropy().enabled(),
                      config.antiEntropy().segments(),
                      config.maxObjectBytes())),
              vnodeThreads);
      String self = runtime.self().name();
      this.ringManager =
          new RingManager(
              runtime,
              backend.meta(),
              v -> vnodes.reconcile(p -> v.owns(self, p), v.ring().ringSize()),
              buckets,
              config.ringSize(),
              config.claimOptions());
      // The ring manager handles membership too: it must not drop messages under load.
      this.ringRef = runtime.spawnSystem(RingManager.NAME, ringManager);
      runtime.spawnSystem(
          VnodeRouter.NAME, new VnodeRouter(vnodes, () -> ringManager.view().ring().ringSize()));
      this.handoff =
          new HandoffManager(runtime, vnodes, ringManager::view, ringRef, config.handoff());
      ActorRef handoffRef = runtime.spawnSystem(HandoffMessages.RECEIVER, handoff);
      // Fallback data kept across a restart first, then the partitions the ring gives this node.
      vnodes.startNonEmpty(ringManager.view().ring().ringSize());
      ringManager.start(ringRef);
      Coordination coordination =
          new Coordination(
              runtime, config, ringManager::view, vnodes, buckets, stats, KvChannels.REQUEST);
      this.bucketTypes =
          new BucketTypes(
              runtime,
              ringManager::view,
              buckets,
              this::nextBucketStamp,
              () -> runtime.tell(ringRef, new RingManager.BucketsChanged()));
      this.client = new KvClient(coordination, config, runtime.scheduler(), bucketTypes);
      this.aaeScans =
          Executors.newSingleThreadExecutor(
              Thread.ofPlatform()
                  .daemon()
                  .priority(bulkClass.threadPriority())
                  .name("kv-aae-scan-" + runtime.self().name())
                  .factory());
      this.aae =
          new AaeManager(
              runtime,
              vnodes,
              ringManager::view,
              coordination::repairRead,
              buckets::propsFor,
              config.antiEntropy(),
              aaeScans);
      ActorRef aaeRef = runtime.spawnSystem(AaeMessages.MANAGER, aae);
      this.coverage =
          CoverageService.install(
              runtime,
              ringManager::view,
              (type, bucket) -> buckets.propsFor(new BKey(type, bucket, new byte[] {0})).nVal(),
              backend);
      this.admin = new ClusterAdmin(runtime, ringManager, ringRef);
      this.reports =
          NodeReports.install(
              runtime,
              handoff::status,
              handoff::rateLimit,
              aae::status,
              () -> ringManager.view().ring().members().keySet());
      ClusterMetadata metadata =
          ClusterMetadata.start(
              runtime, backend.meta(), () -> ringManager.view().ring().members().keySet());
      this.security = new SecurityService(metadata);
      this.ticks = new Ticks(runtime.scheduler());
      ticks.every(config.ringTickInterval(), metadata::tick);
      ticks.every(config.ringTickInterval(), () -> runtime.tell(ringRef, new RingManager.Tick()));
      ticks.every(
          config.handoff().interval(), () -> runtime.tell(handoffRef, new HandoffManager.Tick()));
      ringManager.onChange(v -> runtime.tell(handoffRef, new HandoffManager.Tick()));
      if (config.antiEntropy().enabled()) {
        Duration aaeTick =
            Duration.ofMillis(Math.min(100, config.antiEntropy().exchangeInterval().toMillis()));
        ticks.every(aaeTick, () -> runtime.tell(aaeRef, new AaeManager.Tick()));
      }
      handoff
          .exited()
          .thenRun(
              () ->
                  runtime
                      .leave()
                      .exceptionally(
                          e -> {
                            log.warn("{}: leaving the overlay failed: {}", name(), e.toString());
                            return null;
                          }));
    } catch (RuntimeException e) {
      if (rt != null) {
        rt.close();
      }
      if (pools != null) {
        pools.close();
      }
      backend.close();
      throw e;
    }
    log.info(
        "KV node {} started ({}, ring size {})",
        runtime.self(),
        backend.getClass().getSimpleName(),
        config.ringSize());
  }

  private int currentRingSize() {
    return ringManager.view().ring().ringSize();
  }

  /**
   * Starts a node on the backend {@code config.backend()} names, whose runtime is configured by
   * {@code runtimeConfig} plus the KV channels.
   */
  /**
   * The class whose thread priority the node's bulk work (handoff folds and applies, tree builds,
   * AAE key scans) runs at: bulk when the runtime gives bulk traffic threads of its own, so the
   * channels' classes switch the separation on at every layer at once.
   */
  private static TrafficClass bulkClass(PartisanRuntime runtime) {
    return runtime.separatesBulkTraffic() ? TrafficClass.BULK : TrafficClass.LATENCY;
  }

  public static KvNode start(KvConfig config, RuntimeConfig.Builder runtimeConfig) {
    Backend backend =
        BackendRegistry.named(config.backend()).open(config.dataDir(), config.backendOptions());
    return new KvNode(config, runtimeConfig, backend);
  }

  /**
   * Starts a node on a backend the caller built (embedding, tests); the node closes it. {@code
   * config.dataDir()} is then only informational.
   */
  public static KvNode start(
      KvConfig config, RuntimeConfig.Builder runtimeConfig, Backend backend) {
    return new KvNode(config, runtimeConfig, backend);
  }

  public KvClient client() {
    return client;
  }

  public String name() {
    return runtime.self().name();
  }

  public PartisanRuntime runtime() {
    return runtime;
  }

  public KvConfig config() {
    return config;
  }

  /** The current ring as this node sees it. */
  public RingView ring() {
    return ringManager.view();
  }

  public KvStats stats() {
    return stats;
  }

  /** This node's vnodes (running partitions). */
  public VnodeManager vnodes() {
    return vnodes;
  }

  public Backend backend() {
    return backend;
  }

  /** Coverage queries: key and bucket listing, secondary-index queries (docs/2i.md). */
  public CoverageService coverage() {
    return coverage;
  }

  /**
   * Bootstraps a fresh cluster of the given nodes (this one included) from this node, which must
   * not be part of a cluster yet: ownership is claimed at once and spread by ring gossip to the
   * others as they become reachable. For a new, empty cluster.
   */
  public CompletableFuture<RingState> formCluster(Collection<String> nodes) {
    CompletableFuture<RingState> done = new CompletableFuture<>();
    runtime.tell(ringRef, new RingManager.FormCluster(List.copyOf(nodes), done));
    return done;
  }

  /**
   * Joins the cluster of the node at {@code host:port}: joins its overlay, asks the ring's claimant
   * to add this node, and completes once this node has the cluster's ring. Also the way back in for
   * a restarted member (the claimant then just confirms).
   */
  public CompletableFuture<Void> join(String host, int port) {
    return admin.join(host, port);
  }

  // ------------------------------------------------------------------ cluster admin

  /**
   * Makes this node leave the cluster (riak-admin cluster leave, plan, commit in one step): the
   * claimant plans and commits the leave; this node's partitions are then handed off to their new
   * owners, and once it owns nothing and has handed off all its data it leaves the overlay and
   * {@link #exited()} completes.
   */
  public CompletableFuture<ClusterChangeResult> leave() {
    return leave(name());
  }

  /** Makes {@code node} leave the cluster (see {@link #leave()}). */
  public CompletableFuture<ClusterChangeResult> leave(String node) {
    return commit(StagedChanges.none().leave(node), null);
  }

  /**
   * Removes {@code node} from the cluster at once (riak-admin cluster remove, for a node that is
   * gone for good): its partitions are given to other nodes without handoff, so its replicas are
   * lost there and rebuilt by read repair and active anti-entropy from the other replicas.
   */
  public CompletableFuture<ClusterChangeResult> remove(String node) {
    return commit(StagedChanges.none().remove(node), null);
  }

  /**
   * What committing {@code changes} would do, planned against this node's ring (riak-admin cluster
   * plan). Throws {@link IllegalArgumentException} naming a change that does not apply.
   */
  public ClusterPlan plan(StagedChanges changes) {
    return Claimant.plan(ringManager.view().ring(), changes, config.claimOptions());
  }

  /**
   * Asks the claimant to commit {@code changes} (riak-admin cluster commit). With the {@code
   * reviewed} plan (from {@link #plan}) the claimant refuses the commit if its ring has changed
   * since that plan was made ({@link ClusterChangeException.Reason#STALE}); with null it plans
   * against its current ring. The future fails with a {@link ClusterChangeException} when the
   * changes are refused or the claimant cannot be reached.
   */
  public CompletableFuture<ClusterChangeResult> commit(
      StagedChanges changes, ClusterPlan reviewed) {
    return admin.commit(changes, reviewed);
  }

  /**
   * Completes once this node has left the ring (after {@link #leave()}) and handed off all its
   * data, at which point it has also left the overlay; the process may then {@link #close} it.
   */
  public CompletableFuture<Void> exited() {
    return handoff.exited();
  }

  // ------------------------------------------------------------------ operator view

  /** Handoffs running, waiting and recently finished on this node (riak-admin transfers). */
  public HandoffStatus handoffStatus() {
    return handoff.status();
  }

  /** The transfers running on this node now, outbound and inbound. */
  public List<TransferInfo> transfers() {
    return handoff.status().active();
  }

  /** Changes how many transfers this node sends (and receives) at once; 0 pauses handoff. */
  public void setHandoffConcurrency(int limit) {
    handoff.setConcurrency(limit);
  }

  public int handoffConcurrency() {
    return handoff.concurrency();
  }

  /**
   * Limits this node's outbound handoff to {@code bytesPerSecond}, all transfers together (0:
   * unlimited), so a large handoff cannot take all of the CPU and disk that requests need.
   */
  public void setHandoffRateLimit(long bytesPerSecond) {
    handoff.setRateLimit(bytesPerSecond);
  }

  public long handoffRateLimit() {
    return handoff.rateLimit();
  }

  /**
   * Cluster-wide node reports for the operator console: this node's report and {@link
   * NodeReports#collect} to gather every member's (docs/console.md).
   */
  public NodeReports reports() {
    return reports;
  }

  /** Hash trees, exchanges and repairs of active anti-entropy on this node. */
  public AaeStatus aaeStatus() {
    return aae.status();
  }

  /** Changes the anti-entropy throttles at run time (exchanges at once; keys repaired per s). */
  public void setAaeThrottle(int concurrency, int repairsPerSecond) {
    aae.setConcurrency(concurrency);
    aae.setRepairsPerSecond(repairsPerSecond);
  }

  /** Sets a bucket's properties cluster-wide (spread with the ring gossip, last writer wins). */
  public void setBucketProps(String type, String bucket, BucketProps props) {
    setBucketProps(
        type.getBytes(StandardCharsets.UTF_8), bucket.getBytes(StandardCharsets.UTF_8), props);
  }

  /**
   * Sets a bucket's properties. Refused with a {@link KvException} ({@code BUCKET_TYPE_UNKNOWN}) if
   * its type is unknown or not active, and with a {@link BucketTypeException} ({@code INVALID}) if
   * it changes a property fixed by the bucket's type (datatype, consistent, write_once).
   */
  public void setBucketProps(byte[] type, byte[] bucket, BucketProps props) {
    bucketTypes.requireActive(type);
    BucketTypes.checkFixed("bucket", buckets.typeProps(type), props);
    storeBucketEntry(type, bucket, props);
  }

  /** Puts a bucket back to its type's properties (the node's defaults for type default). */
  public void resetBucketProps(byte[] type, byte[] bucket) {
    bucketTypes.requireActive(type);
    storeBucketEntry(type, bucket, null);
  }

  private void storeBucketEntry(byte[] type, byte[] bucket, BucketProps props) {
    buckets.merge(new BucketPropsEntry(type, bucket, props, nextBucketStamp(), name()));
    runtime.tell(ringRef, new RingManager.BucketsChanged());
  }

  private long nextBucketStamp() {
    return bucketStamps.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
  }

  public BucketProps bucketProps(BKey key) {
    return buckets.propsFor(key);
  }

  /** The properties of buckets of {@code type} that have none of their own. */
  public BucketProps bucketTypeProps(byte[] type) {
    return buckets.typeProps(type);
  }

  /**
   * Riak-style security (users, sources, grants, enable/disable; authenticate and authorize),
   * cluster-wide metadata spread by gossip and kept across restarts. See docs/security.md.
   */
  public SecurityService security() {
    return security;
  }

  /** The cluster's bucket types (create, activate, update, list, status). */
  public BucketTypes bucketTypes() {
    return bucketTypes;
  }

  /** Stops the runtime (no more requests), then closes the backend. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticks.cancel();
    runtime.close();
    vnodeThreads.close(); // waits for a vnode's work under way: it holds the backend
    aaeScans.shutdownNow();
    try {
      // A scan in progress holds the backend's read lock; let it finish before closing.
      aaeScans.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backend.close();
  }
}
