package dev.partisan.kv.backend;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BulkWriteMode#INGEST} for {@link RocksDbBackend}: a batch is written to a sorted table
 * file in a folder inside the database's ({@value #FOLDER}, on the same file system, so ingestion
 * moves the file by a hard link instead of copying it) and ingested into the data column family.
 *
 * <p>What makes this correct:
 *
 * <ul>
 *   <li>A table file needs its keys in strictly ascending order: the batch arrives ordered by
 *       unsigned bytes, each key once, and the two-byte partition prefix in front keeps that order;
 *       the objects' index keys (added, or deleted by tombstones in the file) sort after the
 *       partition's objects, in the same map. So an object and its index change in one file,
 *       ingested atomically.
 *   <li>RocksDB gives the ingested file a sequence number newer than everything already written
 *       (its "global seqno"), so each ingested value supersedes what the merge read: exactly the
 *       result of a put. The merge read the stored value and nothing else wrote the key since,
 *       because the vnode held back every request for the batch's keys while it was applied.
 *   <li>When the file's key range overlaps the memtable (requests wrote keys of the same range),
 *       ingesting it would make RocksDB flush the memtable first, with writes stopped meanwhile.
 *       Blocking flushes are off, so RocksDB refuses such a file and {@link #ingest} says so; the
 *       backend then writes that batch through the log instead. It overlaps only while the
 *       partition is written here during its transfer, such as the last batches after the sender
 *       sealed its vnode, or hinted data returned to an owner that took writes meanwhile.
 *   <li>The file is fsynced and recorded in the manifest before ingestion returns: durable.
 * </ul>
 *
 * A file that could not be ingested is deleted; at start the folder is emptied, since a crash may
 * leave a file behind.
 *
 * <p>Thread-safety: each call writes its own file; the options are only read after construction.
 */
final class SstIngest implements AutoCloseable {
  static final String FOLDER = "handoff-ingest";
  private static final Logger log = LoggerFactory.getLogger(SstIngest.class);

  private final Path folder;
  private final Options options;
  private final EnvOptions envOptions = new EnvOptions();
  // No blocking flush: a file whose range overlaps the memtable is refused instead of making
  // RocksDB flush the memtable with writes stopped (see ingest()).
  private final IngestExternalFileOptions ingestOptions =
      new IngestExternalFileOptions().setMoveFiles(true).setAllowBlockingFlush(false);
  private final AtomicLong files = new AtomicLong();

  SstIngest(Path dbDir, DBOptions dbOptions, ColumnFamilyOptions cfOptions) {
    this.folder = dbDir.resolve(FOLDER);
    this.options = new Options(dbOptions, cfOptions);
    try {
      Files.createDirectories(folder);
      removeLeftovers();
    } catch (IOException e) {
      close();
      throw new BackendException("cannot prepare " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The folder files are written to before ingestion (tests check that it is left empty). */
  Path folder() {
    return folder;
  }

  private void removeLeftovers() throws IOException {
    try (DirectoryStream<Path> left = Files.newDirectoryStream(folder)) {
      for (Path p : left) {
        log.info("removing {} left by an ingestion that did not finish", p);
        Files.delete(p);
      }
    }
  }

  /**
   * Writes {@code entries} (storage keys to values; a null value is a deletion, which the file
   * carries as a tombstone) to a table file and ingests it into {@code cf}. All or nothing. Returns
   * false, having written nothing, when the file's key range overlaps the memtable: ingesting it
   * would need a memtable flush with every write stopped meanwhile (and, with requests writing the
   * same partition, a flush and a small level-0 file per batch), so the caller writes such a batch
   * another way.
   */
  boolean ingest(RocksDB db, ColumnFamilyHandle cf, SortedMap<byte[], byte[]> entries) {
    Path file = folder.resolve("batch-" + files.incrementAndGet() + ".sst");
    try {
      try (SstFileWriter writer = new SstFileWriter(envOptions, options)) {
        writer.open(file.toString());
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
          if (e.getValue() == null) {
            writer.delete(e.getKey());
          } else {
            writer.put(e.getKey(), e.getValue());
          }
        }
        writer.finish();
      }
      db.ingestExternalFile(cf, List.of(file.toString()), ingestOptions);
      return true;
    } catch (RocksDBException e) {
      if (needsFlush(e)) {
        return false;
      }
      throw new BackendException("ingestion failed: " + e.getMessage(), e);
    } finally {
      // Moved into the database on success (RocksDB unlinks it), ours to delete on failure.
      deleteQuietly(file);
    }
  }

  /** RocksDB's refusal of a file that overlaps the memtable when blocking flushes are off. */
  private static boolean needsFlush(RocksDBException e) {
    Status s = e.getStatus();
    return s != null
        && s.getCode() == Status.Code.InvalidArgument
        && String.valueOf(s.getState()).contains("flush");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }

  @Override
  public void close() {
    ingestOptions.close();
    envOptions.close();
    options.close();
  }
}
