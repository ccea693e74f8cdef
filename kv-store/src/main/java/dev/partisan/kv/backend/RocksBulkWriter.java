package dev.partisan.kv.backend;

import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.FlushOptions;

/**
 * The handoff write paths of {@link RocksDbBackend}: a received batch is written the way its {@link
 * BulkWriteMode} says (each entry through the log; one write batch without it; or ingested as a
 * table file by {@link SstIngest}, falling back to one batch through the log when the file would
 * overlap the memtable), each object with its index changes, and made durable by {@link #sync}.
 * Counts the ingest fallbacks.
 *
 * <p>Thread-safety: called from the handoff's bulk-pool threads, holding the backend's {@link
 * CloseGuard}. {@code ingestFallbacks} is atomic; {@code logWrittenSinceSync} is volatile, set by
 * the writer of a batch that fell back and cleared by the commit's sync, which may run on another
 * pool thread.
 */
final class RocksBulkWriter {
  private final RocksOpenDb store;
  private final RocksWrites layout;
  private final RocksWriter writer;
  private final CloseGuard guard;
  private final AtomicLong ingestFallbacks = new AtomicLong();
  private volatile boolean logWrittenSinceSync;

  RocksBulkWriter(RocksOpenDb store, RocksWrites layout, RocksWriter writer, CloseGuard guard) {
    this.store = store;
    this.layout = layout;
    this.writer = writer;
    this.guard = guard;
  }

  void write(int partition, SortedMap<byte[], byte[]> entries, BulkWriteMode mode) {
    RocksWrites.prefix(partition); // checks the range
    if (entries.isEmpty()) {
      return; // a table file cannot be empty
    }
    guard.run(
        "bulk write failed",
        () -> {
          switch (mode) {
            case WAL -> {
              for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                byte[] k = RocksWrites.storageKey(partition, e.getKey());
                if (layout.indexing()) {
                  writer.putIndexed(partition, e.getKey(), k, e.getValue());
                } else {
                  store.db.put(store.data, store.writeOptions, k, e.getValue());
                }
              }
            }
            case WAL_OFF ->
                writer.apply(layout.bulk(store.db, store.data, partition, entries), store.walOff);
            case INGEST -> {
              SortedMap<byte[], byte[]> all = layout.bulk(store.db, store.data, partition, entries);
              if (!store.ingest.ingest(store.db, store.data, all)) {
                // Overlaps the memtable: through the log, as one batch, rather than a stalling
                // flush.
                writer.apply(all, store.writeOptions);
                ingestFallbacks.incrementAndGet();
                logWrittenSinceSync = true;
              }
            }
          }
        });
  }

  void sync(BulkWriteMode mode) {
    guard.run(
        "bulk sync failed",
        () -> {
          switch (mode) {
            case WAL -> store.db.flushWal(true);
            case WAL_OFF -> {
              // Without allowWriteStall the flush waits rather than stall request writes.
              try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                store.db.flush(flush, store.data);
              }
            }
            case INGEST -> {
              // An ingested file is synced before ingestion returns; batches that fell back to the
              // log are made durable like WAL mode's.
              if (logWrittenSinceSync) {
                logWrittenSinceSync = false;
                store.db.flushWal(true);
              }
            }
          }
        });
  }

  /** Batches that {@link BulkWriteMode#INGEST} wrote through the log instead. */
  long ingestFallbacks() {
    return ingestFallbacks.get();
  }
}
