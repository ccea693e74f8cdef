package dev.partisan.kv.backend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.Range;
import org.rocksdb.RateLimiter;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default backend: one RocksDB database per node. Objects live in the default column family
 * under a two-byte big-endian partition prefix, so a partition is one contiguous key range: folds
 * are range scans and dropping a partition is a single range deletion. Node metadata lives in a
 * column family of its own. Request writes always go through the write-ahead log; {@code
 * syncWrites} makes every one wait for fsync (off by default, as in riak's eleveldb: a crash of the
 * machine, not of the process, may then lose the last writes of this replica, which the other
 * replicas still hold). Received handoff data is written the way its {@link BulkWriteMode} says:
 * through the log, in one write batch without it, or ingested as a table file ({@link SstIngest}).
 * Secondary-index keys ({@link #useIndexes}) live beside the objects of their partition and are
 * written in the same batch or table file as the object they belong to ({@link RocksWrites}).
 *
 * <p>Values of 256 KiB and more go to blob files, so large objects are not rewritten by every
 * compaction of the LSM tree. With a background write rate ({@link BackendOptions}), flushes and
 * compactions share a RocksDB rate limiter.
 *
 * <p>Thread-safety: RocksDB itself is thread-safe. A read-write lock keeps {@link #close} from
 * freeing native handles while another thread is inside a call (which would crash the JVM):
 * operations hold the read side, close takes the write side.
 */
public final class RocksDbBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(RocksDbBackend.class);
  private static final byte[] META_CF = "meta".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_PARTITION = 0xFFFE;

  static {
    RocksDB.loadLibrary();
    RocksDbThreads.lowerBackgroundPriority();
  }

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions;
  private final WriteOptions walOff = new WriteOptions().setDisableWAL(true);
  private final RateLimiter rateLimiter; // null: no cap
  private final SstIngest ingest;
  private final RocksDB db;
  private final ColumnFamilyHandle data;
  private final ColumnFamilyHandle metaCf;
  private final RocksWrites writes = new RocksWrites();
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private boolean closed; // guarded by guard
  private final AtomicLong ingestFallbacks = new AtomicLong();
  // Set by a bulk writer when an INGEST batch fell back to the log, cleared by the commit's sync;
  // volatile since the two run on bulk-pool threads that may differ.
  private volatile boolean logWrittenSinceSync;

  public RocksDbBackend(Path dir, boolean syncWrites) {
    this(dir, new BackendOptions(syncWrites, 0));
  }

  public RocksDbBackend(Path dir, BackendOptions options) {
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

  static byte[] prefix(int partition) {
    if (partition < 0 || partition > MAX_PARTITION) {
      throw new IllegalArgumentException("partition out of range: " + partition);
    }
    return new byte[] {(byte) (partition >>> 8), (byte) partition};
  }

  static byte[] storageKey(int partition, byte[] key) {
    return RocksWrites.storageKey(partition, key);
  }

  private void lock() {
    guard.readLock().lock();
    if (closed) {
      guard.readLock().unlock();
      throw new BackendException("backend at " + dir + " is closed");
    }
  }

  private void unlock() {
    guard.readLock().unlock();
  }

  @Override
  public byte[] get(int partition, byte[] key) {
    byte[] k = storageKey(partition, key);
    lock();
    try {
      return db.get(data, k);
    } catch (RocksDBException e) {
      throw new BackendException("get failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public void put(int partition, byte[] key, byte[] value) {
    byte[] k = storageKey(partition, key);
    lock();
    try {
      if (writes.indexing()) {
        writeBatch(writes.single(partition, key, db.get(data, k), value), writeOptions);
      } else {
        db.put(data, writeOptions, k, value);
      }
    } catch (RocksDBException e) {
      throw new BackendException("put failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public void delete(int partition, byte[] key) {
    byte[] k = storageKey(partition, key);
    lock();
    try {
      if (writes.indexing()) {
        writeBatch(writes.single(partition, key, db.get(data, k), null), writeOptions);
      } else {
        db.delete(data, writeOptions, k);
      }
    } catch (RocksDBException e) {
      throw new BackendException("delete failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public void writeBulk(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode) {
    prefix(partition); // checks the range
    if (entries.isEmpty()) {
      return; // a table file cannot be empty
    }
    lock();
    try {
      switch (mode) {
        case WAL -> {
          for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            byte[] k = storageKey(partition, e.getKey());
            if (writes.indexing()) {
              byte[] old = db.get(data, k);
              writeBatch(writes.single(partition, e.getKey(), old, e.getValue()), writeOptions);
            } else {
              db.put(data, writeOptions, k, e.getValue());
            }
          }
        }
        case WAL_OFF -> writeBatch(writes.bulk(db, data, partition, entries), walOff);
        case INGEST -> {
          SortedMap<byte[], byte[]> all = writes.bulk(db, data, partition, entries);
          if (!ingest.ingest(db, data, all)) {
            // Overlaps the memtable: through the log, as one batch, rather than a stalling flush.
            writeBatch(all, writeOptions);
            ingestFallbacks.incrementAndGet();
            logWrittenSinceSync = true;
          }
        }
      }
    } catch (RocksDBException e) {
      throw new BackendException("bulk write failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  /**
   * {@code all} (storage keys to values, null: delete) in one write batch, atomically; the caller
   * holds the guard.
   */
  private void writeBatch(SortedMap<byte[], byte[]> all, WriteOptions options)
      throws RocksDBException {
    if (all.size() == 1) { // the object alone (its index unchanged): no batch to build
      Map.Entry<byte[], byte[]> only = all.entrySet().iterator().next();
      if (only.getValue() == null) {
        db.delete(data, options, only.getKey());
      } else {
        db.put(data, options, only.getKey(), only.getValue());
      }
      return;
    }
    try (WriteBatch batch = RocksWrites.batch(data, all)) {
      db.write(options, batch);
    }
  }

  @Override
  public void useIndexes(IndexExtractor extractor) {
    writes.use(extractor);
  }

  @Override
  public void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor) {
    byte[] start = RocksWrites.indexKey(partition, from);
    byte[] end = to == null ? prefix(partition + 1) : RocksWrites.indexKey(partition, to);
    scan(start, false, end, 3, (k, v) -> visitor.visit(k), "index fold");
  }

  @Override
  public void syncBulk(BulkWriteMode mode) {
    lock();
    try {
      switch (mode) {
        case WAL -> db.flushWal(true);
        case WAL_OFF -> {
          // Without allowWriteStall the flush waits rather than stall request writes.
          try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, data);
          }
        }
        case INGEST -> {
          // An ingested file is synced before ingestion returns; batches that fell back to the
          // log are made durable like WAL mode's.
          if (logWrittenSinceSync) {
            logWrittenSinceSync = false;
            db.flushWal(true);
          }
        }
      }
    } catch (RocksDBException e) {
      throw new BackendException("bulk sync failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public void fold(int partition, FoldVisitor visitor) {
    fold(partition, null, visitor);
  }

  @Override
  public void fold(int partition, byte[] after, FoldVisitor visitor) {
    byte[] start = after == null ? prefix(partition) : storageKey(partition, after);
    byte[] end = writes.objectsEnd(partition); // objects only
    scan(start, after != null, end, 2, visitor, "fold");
  }

  /**
   * Visits {@code [start, end)} (strictly after {@code start} when {@code exclusive}) on a
   * snapshot, handing each key without its first {@code strip} bytes (the layout's prefix).
   */
  private void scan(
      byte[] start, boolean exclusive, byte[] end, int strip, FoldVisitor visitor, String what) {
    lock();
    Snapshot snapshot = db.getSnapshot();
    try (Slice upper = new Slice(end);
        ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(data, ro)) {
      it.seek(start);
      if (exclusive && it.isValid() && java.util.Arrays.equals(it.key(), start)) {
        it.next(); // strictly after
      }
      for (; it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!visitor.visit(java.util.Arrays.copyOfRange(k, strip, k.length), it.value())) {
          break;
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new BackendException(what + " failed: " + e.getMessage(), e);
    } finally {
      db.releaseSnapshot(snapshot);
      unlock();
    }
  }

  @Override
  public void dropPartition(int partition) {
    byte[] start = prefix(partition);
    byte[] end = prefix(partition + 1);
    lock();
    try {
      db.deleteRange(data, writeOptions, start, end);
    } catch (RocksDBException e) {
      throw new BackendException(
          "drop of partition " + partition + " failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public boolean isEmpty(int partition) {
    byte[] start = prefix(partition);
    byte[] end = writes.objectsEnd(partition); // an object, not a stray index key
    lock();
    try (Slice upper = new Slice(end);
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(data, ro)) {
      it.seek(start);
      return !it.isValid();
    } finally {
      unlock();
    }
  }

  @Override
  public long approximateSize(int partition) {
    lock();
    try (Slice start = new Slice(prefix(partition));
        Slice end = new Slice(prefix(partition + 1))) {
      long[] sizes =
          db.getApproximateSizes(
              data,
              List.of(new Range(start, end)),
              SizeApproximationFlag.INCLUDE_FILES,
              SizeApproximationFlag.INCLUDE_MEMTABLES,
              SizeApproximationFlag.INCLUDE_BLOB_FILES);
      return sizes.length == 0 ? 0 : sizes[0];
    } finally {
      unlock();
    }
  }

  /**
   * Compacts all data into the bottom level and waits until done. For stores loaded in bulk before
   * a node opens them (the benchmarks' seeding): the node then starts on a quiescent store instead
   * of spending its first seconds compacting what was loaded.
   */
  public void compactAll() {
    lock();
    try {
      db.compactRange(data);
    } catch (RocksDBException e) {
      throw new BackendException("compaction failed: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public MetaStore meta() {
    return new MetaStore() {
      @Override
      public byte[] get(String name) {
        lock();
        try {
          return db.get(metaCf, name.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
          throw new BackendException("metadata read failed: " + e.getMessage(), e);
        } finally {
          unlock();
        }
      }

      @Override
      public void put(String name, byte[] value) {
        lock();
        // Metadata (ring state, epochs) is rare and must survive a machine crash: always synced.
        try (WriteOptions synced = new WriteOptions().setSync(true)) {
          db.put(metaCf, synced, name.getBytes(StandardCharsets.UTF_8), value);
        } catch (RocksDBException e) {
          throw new BackendException("metadata write failed: " + e.getMessage(), e);
        } finally {
          unlock();
        }
      }

      @Override
      public void delete(String name) {
        lock();
        try (WriteOptions synced = new WriteOptions().setSync(true)) {
          db.delete(metaCf, synced, name.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
          throw new BackendException("metadata delete failed: " + e.getMessage(), e);
        } finally {
          unlock();
        }
      }
    };
  }

  public Path directory() {
    return dir;
  }

  /**
   * Handed-off batches that {@link BulkWriteMode#INGEST} wrote through the log instead, because
   * their key range overlapped the memtable (see {@link SstIngest}).
   */
  public long ingestFallbacks() {
    return ingestFallbacks.get();
  }

  /** Where {@link BulkWriteMode#INGEST} writes its files before ingestion; empty between them. */
  public Path ingestFolder() {
    return ingest.folder();
  }

  /**
   * From now on {@link #close} leaves the database as a crash of the process would: it does not
   * flush the memtables (as RocksDB otherwise does on close when they hold writes made without the
   * write-ahead log), so {@link BulkWriteMode#WAL_OFF} writes not yet flushed are lost. For tests
   * of durability.
   */
  public void leaveMemtablesOnClose() {
    lock();
    try {
      db.setDBOptions(MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build());
    } catch (RocksDBException e) {
      throw new BackendException("cannot turn off the flush on close: " + e.getMessage(), e);
    } finally {
      unlock();
    }
  }

  @Override
  public void close() {
    guard.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
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
    } finally {
      guard.writeLock().unlock();
    }
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
