package dev.partisan.kv.backend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SortedMap;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

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
 * <p>This class is the facade over the parts that do the work: {@link RocksOpenDb} opens the
 * database and owns its handles (values of 256 KiB and more go to blob files; with a background
 * write rate, {@link BackendOptions}, flushes and compactions share a rate limiter), {@link
 * RocksReads} reads and scans, {@link RocksWriter} applies request writes and {@link
 * RocksBulkWriter} handoff batches.
 *
 * <p>Thread-safety: RocksDB itself is thread-safe. The {@link CloseGuard} keeps {@link #close} from
 * freeing native handles while another thread is inside a call (which would crash the JVM):
 * operations hold its read side, close takes the write side.
 */
public final class RocksDbBackend implements Backend {
  static {
    RocksDB.loadLibrary();
    RocksDbThreads.lowerBackgroundPriority();
  }

  private final RocksOpenDb store;
  private final CloseGuard guard;
  private final RocksWrites layout = new RocksWrites();
  private final RocksReads reads;
  private final RocksWriter writer;
  private final RocksBulkWriter bulk;

  public RocksDbBackend(Path dir, boolean syncWrites) {
    this(dir, new BackendOptions(syncWrites, 0));
  }

  public RocksDbBackend(Path dir, BackendOptions options) {
    this.store = new RocksOpenDb(dir, options);
    this.guard = new CloseGuard(dir);
    this.reads = new RocksReads(store, layout, guard);
    this.writer = new RocksWriter(store, layout, guard);
    this.bulk = new RocksBulkWriter(store, layout, writer, guard);
  }

  @Override
  public byte[] get(int partition, byte[] key) {
    return reads.get(partition, key);
  }

  @Override
  public void put(int partition, byte[] key, byte[] value) {
    writer.put(partition, key, value);
  }

  @Override
  public void delete(int partition, byte[] key) {
    writer.delete(partition, key);
  }

  @Override
  public void writeBulk(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode) {
    bulk.write(partition, entries, mode);
  }

  @Override
  public void syncBulk(BulkWriteMode mode) {
    bulk.sync(mode);
  }

  @Override
  public void useIndexes(IndexExtractor extractor) {
    layout.use(extractor);
  }

  @Override
  public void foldIndex(int partition, byte[] from, byte[] to, IndexVisitor visitor) {
    reads.foldIndex(partition, from, to, visitor);
  }

  @Override
  public void fold(int partition, FoldVisitor visitor) {
    reads.fold(partition, null, visitor);
  }

  @Override
  public void fold(int partition, byte[] after, FoldVisitor visitor) {
    reads.fold(partition, after, visitor);
  }

  @Override
  public void dropPartition(int partition) {
    byte[] start = RocksWrites.prefix(partition);
    byte[] end = RocksWrites.prefix(partition + 1);
    guard.run(
        "drop of partition " + partition + " failed",
        () -> store.db.deleteRange(store.data, store.writeOptions, start, end));
  }

  @Override
  public boolean isEmpty(int partition) {
    return reads.isEmpty(partition);
  }

  @Override
  public long approximateSize(int partition) {
    return reads.approximateSize(partition);
  }

  /**
   * Compacts all data into the bottom level and waits until done. For stores loaded in bulk before
   * a node opens them (the benchmarks' seeding): the node then starts on a quiescent store instead
   * of spending its first seconds compacting what was loaded.
   */
  public void compactAll() {
    guard.run("compaction failed", () -> store.db.compactRange(store.data));
  }

  @Override
  public MetaStore meta() {
    return new MetaStore() {
      @Override
      public byte[] get(String name) {
        return guard.call("metadata read failed", () -> store.db.get(store.metaCf, utf8(name)));
      }

      @Override
      public void put(String name, byte[] value) {
        // Metadata (ring state, epochs) is rare and must survive a machine crash: always synced.
        guard.run(
            "metadata write failed",
            () -> {
              try (WriteOptions synced = new WriteOptions().setSync(true)) {
                store.db.put(store.metaCf, synced, utf8(name), value);
              }
            });
      }

      @Override
      public void delete(String name) {
        guard.run(
            "metadata delete failed",
            () -> {
              try (WriteOptions synced = new WriteOptions().setSync(true)) {
                store.db.delete(store.metaCf, synced, utf8(name));
              }
            });
      }
    };
  }

  private static byte[] utf8(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  public Path directory() {
    return store.dir;
  }

  /**
   * Handed-off batches that {@link BulkWriteMode#INGEST} wrote through the log instead, because
   * their key range overlapped the memtable (see {@link SstIngest}).
   */
  public long ingestFallbacks() {
    return bulk.ingestFallbacks();
  }

  /** Where {@link BulkWriteMode#INGEST} writes its files before ingestion; empty between them. */
  public Path ingestFolder() {
    return store.ingest.folder();
  }

  /**
   * From now on {@link #close} leaves the database as a crash of the process would: it does not
   * flush the memtables (as RocksDB otherwise does on close when they hold writes made without the
   * write-ahead log), so {@link BulkWriteMode#WAL_OFF} writes not yet flushed are lost. For tests
   * of durability.
   */
  public void leaveMemtablesOnClose() {
    guard.run(
        "cannot turn off the flush on close",
        () ->
            store.db.setDBOptions(
                MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build()));
  }

  @Override
  public void close() {
    guard.close(store::close);
  }
}
