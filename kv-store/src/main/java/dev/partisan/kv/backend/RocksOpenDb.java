package dev.partisan.kv.backend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RateLimiter;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link RocksDbBackend}'s database and owns its native handles: the options, the data and
 * metadata column families, the write options of request writes (synced or not) and of {@link
 * BulkWriteMode#WAL_OFF}, the optional rate limiter of background writes, and the {@link SstIngest}
 * folder. Values of 256 KiB and more go to blob files, so large objects are not rewritten by every
 * compaction of the LSM tree.
 *
 * <p>Only {@link RocksDbBackend} builds one; its class initialisation loads the native library.
 *
 * <p>Thread-safety: every field is final and only read after construction; {@link #close} frees the
 * handles and is called once, by the backend holding the write side of its guard, so no other
 * thread is inside a call then.
 */
final class RocksOpenDb implements AutoCloseable {
  // The backend's logger: opening and closing are what operators know as the backend's lines.
  private static final Logger log = LoggerFactory.getLogger(RocksDbBackend.class);
  private static final byte[] META_CF = "meta".getBytes(StandardCharsets.UTF_8);

  final Path dir;
  final RocksDB db;
  final ColumnFamilyHandle data;
  final ColumnFamilyHandle metaCf;

  /** Request writes: through the log, synced when the backend's options say so. */
  final WriteOptions writeOptions;

  final WriteOptions walOff = new WriteOptions().setDisableWAL(true);
  final SstIngest ingest;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RateLimiter rateLimiter; // null: no cap

  RocksOpenDb(Path dir, BackendOptions options) {
    this.dir = dir;
    boolean syncWrites = options.syncWrites();
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new BackendException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
    this.dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2);
    long rate = options.backgroundWriteBytesPerSecond();
    this.rateLimiter = rate > 0 ? new RateLimiter(rate) : null;
    if (rateLimiter != null) {
      dbOptions.setRateLimiter(rateLimiter);
    }
    this.cfOptions = new ColumnFamilyOptions().setEnableBlobFiles(true).setMinBlobSize(256 * 1024);
    this.writeOptions = new WriteOptions().setSync(syncWrites).setDisableWAL(false);
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
            new ColumnFamilyDescriptor(META_CF, cfOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeOptions();
      throw new BackendException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
    }
    this.data = handles.get(0);
    this.metaCf = handles.get(1);
    SstIngest ingester;
    try {
      ingester = new SstIngest(dir, dbOptions, cfOptions);
    } catch (BackendException e) {
      data.close();
      metaCf.close();
      db.close();
      closeOptions();
      throw e;
    }
    this.ingest = ingester;
    log.info(
        "opened RocksDB at {} (sync writes: {}, background writes capped at {})",
        dir,
        syncWrites,
        rate > 0 ? rate + " B/s" : "none");
  }

  /** Makes the log durable, then frees every handle; the caller ensures no call is under way. */
  @Override
  public void close() {
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      log.warn("flushing the WAL of {} failed: {}", dir, e.getMessage());
    }
    data.close();
    metaCf.close();
    db.close();
    ingest.close();
    closeOptions();
    log.info("closed RocksDB at {}", dir);
  }

  private void closeOptions() {
    writeOptions.close();
    walOff.close();
    cfOptions.close();
    dbOptions.close();
    if (rateLimiter != null) {
      rateLimiter.close();
    }
  }
}
