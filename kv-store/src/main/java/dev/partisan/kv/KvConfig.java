package dev.partisan.kv;

import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.Keyspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a KV node (the runtime's own settings are in its {@code RuntimeConfig}).
 *
 * @param dataDir RocksDB directory; null selects the in-memory backend
 * @param syncWrites fsync every write (the WAL is always on)
 * @param ringSize partitions in the ring (power of two, 8..1024), fixed for a cluster's life
 * @param targetNVal claim spacing (riak's target_n_val)
 * @param bucketDefaults properties of buckets nobody configured
 * @param maxValueBytes largest value a client may write (default 50 MiB)
 * @param defaultTimeout request timeout when the request names none (riak: 60 s)
 * @param deleteMode when tombstones are reaped
 * @param vnodeMailboxCapacity queued requests per vnode before it refuses work (riak: 10,000)
 * @param requestParallelism connections per peer on the {@code request} channel
 * @param ringTickInterval period of the ring manager's claimant and gossip work
 */
public record KvConfig(
    Path dataDir,
    boolean syncWrites,
    int ringSize,
    int targetNVal,
    BucketProps bucketDefaults,
    long maxValueBytes,
    Duration defaultTimeout,
    DeleteMode deleteMode,
    int vnodeMailboxCapacity,
    int requestParallelism,
    Duration ringTickInterval) {

  public static final long DEFAULT_MAX_VALUE_BYTES = 50L * 1024 * 1024;

  public KvConfig {
    Keyspace.checkRingSize(ringSize);
    new ClaimOptions(targetNVal);
    Objects.requireNonNull(bucketDefaults, "bucketDefaults");
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    Objects.requireNonNull(deleteMode, "deleteMode");
    Objects.requireNonNull(ringTickInterval, "ringTickInterval");
    if (maxValueBytes < 0 || maxValueBytes > 1024L * 1024 * 1024) {
      throw new IllegalArgumentException("maxValueBytes must be 0..1 GiB: " + maxValueBytes);
    }
    if (vnodeMailboxCapacity < 1) {
      throw new IllegalArgumentException("vnodeMailboxCapacity must be >= 1");
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

  public ClaimOptions claimOptions() {
    return new ClaimOptions(targetNVal);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.dataDir = dataDir;
    b.syncWrites = syncWrites;
    b.ringSize = ringSize;
    b.targetNVal = targetNVal;
    b.bucketDefaults = bucketDefaults;
    b.maxValueBytes = maxValueBytes;
    b.defaultTimeout = defaultTimeout;
    b.deleteMode = deleteMode;
    b.vnodeMailboxCapacity = vnodeMailboxCapacity;
    b.requestParallelism = requestParallelism;
    b.ringTickInterval = ringTickInterval;
    return b;
  }

  /** Defaults: in-memory, ring 64, target_n_val 4, riak's bucket defaults, 50 MiB values. */
  public static final class Builder {
    private Path dataDir;
    private boolean syncWrites;
    private int ringSize = Keyspace.DEFAULT_RING_SIZE;
    private int targetNVal = ClaimOptions.DEFAULT_TARGET_N_VAL;
    private BucketProps bucketDefaults = BucketProps.DEFAULTS;
    private long maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Duration defaultTimeout = Duration.ofSeconds(60);
    private DeleteMode deleteMode = DeleteMode.DEFAULT;
    private int vnodeMailboxCapacity = 10_000;
    private int requestParallelism = 4;
    private Duration ringTickInterval = Duration.ofSeconds(1);

    public Builder dataDir(Path d) {
      this.dataDir = d;
      return this;
    }

    public Builder syncWrites(boolean s) {
      this.syncWrites = s;
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

    public Builder requestParallelism(int p) {
      this.requestParallelism = p;
      return this;
    }

    public Builder ringTickInterval(Duration d) {
      this.ringTickInterval = d;
      return this;
    }

    public KvConfig build() {
      return new KvConfig(
          dataDir,
          syncWrites,
          ringSize,
          targetNVal,
          bucketDefaults,
          maxValueBytes,
          defaultTimeout,
          deleteMode,
          vnodeMailboxCapacity,
          requestParallelism,
          ringTickInterval);
    }
  }
}
