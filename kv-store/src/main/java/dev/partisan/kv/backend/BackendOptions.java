package dev.partisan.kv.backend;

/**
 * How a node opens its backend, beyond where ({@link BackendFactory#open}). Backends without a disk
 * ignore both.
 *
 * @param syncWrites fsync every request write ({@code kv.sync_writes})
 * @param backgroundWriteBytesPerSecond a cap on the disk write rate of the backend's own background
 *     work, memtable flushes and compactions, so they leave the disk to request writes (RocksDB's
 *     rate limiter; {@code kv.rocksdb_rate_limit_mb_per_s}); 0: no cap
 */
public record BackendOptions(boolean syncWrites, long backgroundWriteBytesPerSecond) {
  public static final BackendOptions DEFAULTS = new BackendOptions(false, 0);

  public BackendOptions {
    if (backgroundWriteBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "background write rate must be >= 0 (0: no cap): " + backgroundWriteBytesPerSecond);
    }
  }
}
