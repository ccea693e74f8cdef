package dev.partisan.kv;

import dev.partisan.kv.backend.BackendOptions;
import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.Keyspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a KV node (the runtime's own settings are in its {@code RuntimeConfig}).
 *
 * @param dataDir the data folder of a backend that keeps one (RocksDB); null for none
 * @param backend the storage backend's name ({@code kv.backend}), one of {@link
 *     BackendRegistry#names()}; null picks {@code rocksdb} when there is a data folder and {@code
 *     memory} when there is none. Naming a backend that needs a folder without giving one is an
 *     error.
 * @param syncWrites fsync every request write (the WAL is always on for requests)
 * @param rocksDbRateLimitMbPerSecond cap on RocksDB's flush and compaction writes in MiB/s, so they
 *     leave the disk to request writes (a RocksDB rate limiter); 0 (default): none
 * @param ringSize partitions in the ring (power of two, 8..1024), fixed for a cluster's life
 * @param targetNVal claim spacing (riak's target_n_val)
 * @param bucketDefaults properties of buckets nobody configured
 * @param maxValueBytes largest value a client may write (default 50 MiB)
 * @param defaultTimeout request timeout when the request names none (riak: 60 s)
 * @param deleteMode when tombstones are reaped
 * @param vnodeMailboxCapacity queued requests per vnode before it refuses work (riak: 10,000)
 * @param vnodeBulkThreads platform threads of the node's vnode bulk pool, which applies received
 *     handoff batches off the vnodes' request path (riak_core's vnode worker pool); 0: one per two
 *     cores, at least one ({@link #bulkThreads()})
 * @param requestParallelism connections per peer on the {@code request} channel
 * @param ringTickInterval period of the ring manager's claimant and gossip work
 * @param handoff handoff settings ({@link Handoff})
 * @param antiEntropy active anti-entropy settings ({@link AntiEntropy})
 */
public record KvConfig(
    Path dataDir,
    String backend,
    boolean syncWrites,
    int rocksDbRateLimitMbPerSecond,
    int ringSize,
    int targetNVal,
    BucketProps bucketDefaults,
    long maxValueBytes,
    Duration defaultTimeout,
    DeleteMode deleteMode,
    int vnodeMailboxCapacity,
    int vnodeBulkThreads,
    int requestParallelism,
    Duration ringTickInterval,
    Handoff handoff,
    AntiEntropy antiEntropy) {

  public static final long DEFAULT_MAX_VALUE_BYTES = 50L * 1024 * 1024;

  /**
   * Handoff settings.
   *
   * @param concurrency transfers a node sends at once, and receives at once (riak's {@code
   *     handoff_concurrency}, default 2); changeable at run time with {@link
   *     KvNode#setHandoffConcurrency}; 0 pauses handoff
   * @param batchObjects most objects in one batch (default 500)
   * @param batchBytes most bytes in one batch (default 1 MiB; one larger object travels alone)
   * @param ackTimeout how long a sender waits for a batch's acknowledgement before the attempt
   *     fails and is retried (default 60 s)
   * @param interval how often a node looks for handoffs to start (default 5 s)
   * @param forwardingGrace how long a vnode that handed its partition off keeps forwarding requests
   *     after the ring made the new owner official (default 10 s)
   * @param maxBytesPerSecond the node's outbound handoff rate, all transfers together (default 0:
   *     unlimited); changeable at run time with {@link KvNode#setHandoffRateLimit}. A handoff
   *     competes with requests for CPU and disk on both ends; this bounds its share.
   * @param writePath how a receiving node writes handed-off objects to its backend (default {@link
   *     BulkWriteMode#INGEST}: one table file per batch, which keeps the handoff out of the request
   *     writes' log and memtable; chosen by measurement, see docs/handoff-and-aae.md); see {@link
   *     BulkWriteMode}
   */
  public record Handoff(
      int concurrency,
      int batchObjects,
      long batchBytes,
      Duration ackTimeout,
      Duration interval,
      Duration forwardingGrace,
      long maxBytesPerSecond,
      BulkWriteMode writePath) {
    public static final Handoff DEFAULTS =
        new Handoff(
            2,
            500,
            1024 * 1024,
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            0,
            BulkWriteMode.INGEST);

    public Handoff {
      if (concurrency < 0) {
        throw new IllegalArgumentException("handoff concurrency must be >= 0");
      }
      if (batchObjects < 1 || batchBytes < 1) {
        throw new IllegalArgumentException("handoff batches must allow at least one object");
      }
      positive("handoff ack timeout", ackTimeout);
      positive("handoff interval", interval);
      Objects.requireNonNull(forwardingGrace, "forwardingGrace");
      if (maxBytesPerSecond < 0) {
        throw new IllegalArgumentException("handoff rate limit must be >= 0 (0: unlimited)");
      }
      Objects.requireNonNull(writePath, "writePath");
    }
  }

  /**
   * Active anti-entropy settings.
   *
   * @param enabled keep hash trees and exchange them (default true)
   * @param segments segments per hash tree, a power of two (default 1024)
   * @param exchangeInterval how often a node starts exchanges (default 15 s, riak's {@code
   *     anti_entropy.tick}); each tick starts up to {@code concurrency}, each pair of replicas of a
   *     preference list is exchanged at most once per {@code exchangeInterval} times the number of
   *     exchanges the node has to make
   * @param concurrency exchanges a node runs at once (default 2, riak's {@code
   *     anti_entropy.concurrency})
   * @param repairsPerSecond keys a node repairs per second at most (default 100)
   * @param rebuildInterval trees older than this are rebuilt from the backend, one vnode at a time
   *     (default 7 days, riak's {@code anti_entropy.tree.expiry})
   * @param maxSegmentsPerExchange differing segments one exchange looks into (default 256; the rest
   *     wait for the next exchange)
   */
  public record AntiEntropy(
      boolean enabled,
      int segments,
      Duration exchangeInterval,
      int concurrency,
      int repairsPerSecond,
      Duration rebuildInterval,
      int maxSegmentsPerExchange) {
    public static final AntiEntropy DEFAULTS =
        new AntiEntropy(true, 1024, Duration.ofSeconds(15), 2, 100, Duration.ofDays(7), 256);

    public AntiEntropy {
      if (segments < 1 || segments > 1 << 20 || Integer.bitCount(segments) != 1) {
        throw new IllegalArgumentException("AAE segments must be a power of two up to 2^20");
      }
      positive("AAE exchange interval", exchangeInterval);
      positive("AAE rebuild interval", rebuildInterval);
      if (concurrency < 0 || repairsPerSecond < 1 || maxSegmentsPerExchange < 1) {
        throw new IllegalArgumentException(
            "AAE concurrency must be >= 0, repairs per second and segments per exchange >= 1");
      }
    }
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  public KvConfig {
    backend = backend == null ? BackendRegistry.defaultName(dataDir != null) : backend;
    if (BackendRegistry.named(backend).needsDataDir() && dataDir == null) {
      throw new IllegalArgumentException(
          "the " + backend + " backend needs a data folder (dataDir), and none is set");
    }
    Keyspace.checkRingSize(ringSize);
    new ClaimOptions(targetNVal);
    Objects.requireNonNull(bucketDefaults, "bucketDefaults");
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    Objects.requireNonNull(deleteMode, "deleteMode");
    Objects.requireNonNull(ringTickInterval, "ringTickInterval");
    Objects.requireNonNull(handoff, "handoff");
    Objects.requireNonNull(antiEntropy, "antiEntropy");
    if (maxValueBytes < 0 || maxValueBytes > 1024L * 1024 * 1024) {
      throw new IllegalArgumentException("maxValueBytes must be 0..1 GiB: " + maxValueBytes);
    }
    if (vnodeMailboxCapacity < 1) {
      throw new IllegalArgumentException("vnodeMailboxCapacity must be >= 1");
    }
    if (rocksDbRateLimitMbPerSecond < 0) {
      throw new IllegalArgumentException("rocksDbRateLimitMbPerSecond must be >= 0 (0: none)");
    }
    if (vnodeBulkThreads < 0) {
      throw new IllegalArgumentException("vnodeBulkThreads must be >= 0 (0: automatic)");
    }
    if (requestParallelism < 1) {
      throw new IllegalArgumentException("requestParallelism must be >= 1");
    }
  }

  /**
   * Largest object (all siblings) a vnode stores: a value at the limit plus room for metadata and
   * small siblings. A write that would grow an object past it is refused with {@link
   * KvError#TOO_LARGE}, so one key cannot grow without bound through siblings.
   */
  public long maxObjectBytes() {
    return maxValueBytes + Math.max(1024 * 1024, maxValueBytes / 16);
  }

  /** How the backend is opened: fsync of request writes, the flush and compaction write cap. */
  public BackendOptions backendOptions() {
    return new BackendOptions(syncWrites, rocksDbRateLimitMbPerSecond * 1024L * 1024L);
  }

  /** The bulk pool's size: {@code vnodeBulkThreads}, or one thread per two cores (at least one). */
  public int bulkThreads() {
    return vnodeBulkThreads > 0
        ? vnodeBulkThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  public ClaimOptions claimOptions() {
    return new ClaimOptions(targetNVal);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .dataDir(dataDir)
        .backend(backend)
        .syncWrites(syncWrites)
        .rocksDbRateLimitMbPerSecond(rocksDbRateLimitMbPerSecond)
        .ringSize(ringSize)
        .targetNVal(targetNVal)
        .bucketDefaults(bucketDefaults)
        .maxValueBytes(maxValueBytes)
        .defaultTimeout(defaultTimeout)
        .deleteMode(deleteMode)
        .vnodeMailboxCapacity(vnodeMailboxCapacity)
        .vnodeBulkThreads(vnodeBulkThreads)
        .requestParallelism(requestParallelism)
        .ringTickInterval(ringTickInterval)
        .handoff(handoff)
        .antiEntropy(antiEntropy);
  }

  /**
   * Defaults: the backend follows the data folder (none: in memory), ring 64, target_n_val 4,
   * riak's bucket defaults, 50 MiB values. The handoff and anti-entropy settings are held one by
   * one and become their records in {@link #build}, so each setter touches one field.
   */
  public static final class Builder {
    private Path dataDir;
    private String backend;
    private boolean syncWrites;
    private int rocksDbRateLimitMbPerSecond;
    private int ringSize = Keyspace.DEFAULT_RING_SIZE;
    private int targetNVal = ClaimOptions.DEFAULT_TARGET_N_VAL;
    private BucketProps bucketDefaults = BucketProps.DEFAULTS;
    private long maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Duration defaultTimeout = Duration.ofSeconds(60);
    private DeleteMode deleteMode = DeleteMode.DEFAULT;
    private int vnodeMailboxCapacity = 10_000;
    private int vnodeBulkThreads;
    private int requestParallelism = 4;
    private Duration ringTickInterval = Duration.ofSeconds(1);
    // Handoff
    private int handoffConcurrency;
    private int handoffBatchObjects;
    private long handoffBatchBytes;
    private Duration handoffAckTimeout;
    private Duration handoffInterval;
    private Duration handoffForwardingGrace;
    private long handoffMaxBytesPerSecond;
    private BulkWriteMode handoffWritePath;
    // Anti-entropy
    private boolean aaeEnabled;
    private int aaeSegments;
    private Duration aaeExchangeInterval;
    private int aaeConcurrency;
    private int aaeRepairsPerSecond;
    private Duration aaeRebuildInterval;
    private int aaeMaxSegmentsPerExchange;

    public Builder() {
      handoff(Handoff.DEFAULTS);
      antiEntropy(AntiEntropy.DEFAULTS);
    }

    public Builder dataDir(Path d) {
      this.dataDir = d;
      return this;
    }

    /** The storage backend by name ({@code rocksdb}, {@code memory}); see {@link KvConfig}. */
    public Builder backend(String name) {
      this.backend = name;
      return this;
    }

    public Builder syncWrites(boolean s) {
      this.syncWrites = s;
      return this;
    }

    /**
     * Caps RocksDB's flush and compaction writes at {@code mb} MiB/s (a RocksDB rate limiter), so
     * they leave the disk to request writes; 0 (default): no cap. Node setting {@code
     * kv.rocksdb_rate_limit_mb_per_s}.
     */
    public Builder rocksDbRateLimitMbPerSecond(int mb) {
      this.rocksDbRateLimitMbPerSecond = mb;
      return this;
    }

    public Builder ringSize(int q) {
      this.ringSize = q;
      return this;
    }

    public Builder targetNVal(int t) {
      this.targetNVal = t;
      return this;
    }

    public Builder bucketDefaults(BucketProps p) {
      this.bucketDefaults = p;
      return this;
    }

    public Builder maxValueBytes(long b) {
      this.maxValueBytes = b;
      return this;
    }

    public Builder defaultTimeout(Duration t) {
      this.defaultTimeout = t;
      return this;
    }

    public Builder deleteMode(DeleteMode m) {
      this.deleteMode = m;
      return this;
    }

    public Builder vnodeMailboxCapacity(int c) {
      this.vnodeMailboxCapacity = c;
      return this;
    }

    /** Threads of the vnode bulk pool; 0 (default): one per two cores, at least one. */
    public Builder vnodeBulkThreads(int n) {
      this.vnodeBulkThreads = n;
      return this;
    }

    public Builder requestParallelism(int p) {
      this.requestParallelism = p;
      return this;
    }

    public Builder ringTickInterval(Duration d) {
      this.ringTickInterval = d;
      return this;
    }

    /** All handoff settings at once. */
    public Builder handoff(Handoff h) {
      this.handoffConcurrency = h.concurrency();
      this.handoffBatchObjects = h.batchObjects();
      this.handoffBatchBytes = h.batchBytes();
      this.handoffAckTimeout = h.ackTimeout();
      this.handoffInterval = h.interval();
      this.handoffForwardingGrace = h.forwardingGrace();
      this.handoffMaxBytesPerSecond = h.maxBytesPerSecond();
      this.handoffWritePath = h.writePath();
      return this;
    }

    /** All anti-entropy settings at once. */
    public Builder antiEntropy(AntiEntropy a) {
      this.aaeEnabled = a.enabled();
      this.aaeSegments = a.segments();
      this.aaeExchangeInterval = a.exchangeInterval();
      this.aaeConcurrency = a.concurrency();
      this.aaeRepairsPerSecond = a.repairsPerSecond();
      this.aaeRebuildInterval = a.rebuildInterval();
      this.aaeMaxSegmentsPerExchange = a.maxSegmentsPerExchange();
      return this;
    }

    public Builder handoffConcurrency(int n) {
      this.handoffConcurrency = n;
      return this;
    }

    public Builder handoffBatch(int objects, long bytes) {
      this.handoffBatchObjects = objects;
      this.handoffBatchBytes = bytes;
      return this;
    }

    public Builder handoffAckTimeout(Duration t) {
      this.handoffAckTimeout = t;
      return this;
    }

    public Builder handoffInterval(Duration d) {
      this.handoffInterval = d;
      return this;
    }

    public Builder handoffForwardingGrace(Duration d) {
      this.handoffForwardingGrace = d;
      return this;
    }

    /** The node's outbound handoff rate in bytes per second, all transfers together; 0: none. */
    public Builder handoffMaxBytesPerSecond(long rate) {
      this.handoffMaxBytesPerSecond = rate;
      return this;
    }

    /**
     * How a receiving node writes handed-off objects ({@link BulkWriteMode}; default {@code WAL}).
     * Node setting {@code handoff.write_path}.
     */
    public Builder handoffWritePath(BulkWriteMode mode) {
      this.handoffWritePath = mode;
      return this;
    }

    public Builder aaeEnabled(boolean e) {
      this.aaeEnabled = e;
      return this;
    }

    public Builder aaeSegments(int segments) {
      this.aaeSegments = segments;
      return this;
    }

    public Builder aaeExchangeInterval(Duration d) {
      this.aaeExchangeInterval = d;
      return this;
    }

    public Builder aaeConcurrency(int n) {
      this.aaeConcurrency = n;
      return this;
    }

    public Builder aaeRepairsPerSecond(int n) {
      this.aaeRepairsPerSecond = n;
      return this;
    }

    public Builder aaeRebuildInterval(Duration d) {
      this.aaeRebuildInterval = d;
      return this;
    }

    public KvConfig build() {
      return new KvConfig(
          dataDir,
          backend,
          syncWrites,
          rocksDbRateLimitMbPerSecond,
          ringSize,
          targetNVal,
          bucketDefaults,
          maxValueBytes,
          defaultTimeout,
          deleteMode,
          vnodeMailboxCapacity,
          vnodeBulkThreads,
          requestParallelism,
          ringTickInterval,
          new Handoff(
              handoffConcurrency,
              handoffBatchObjects,
              handoffBatchBytes,
              handoffAckTimeout,
              handoffInterval,
              handoffForwardingGrace,
              handoffMaxBytesPerSecond,
              handoffWritePath),
          new AntiEntropy(
              aaeEnabled,
              aaeSegments,
              aaeExchangeInterval,
              aaeConcurrency,
              aaeRepairsPerSecond,
              aaeRebuildInterval,
              aaeMaxSegmentsPerExchange));
    }
  }
}
