package dev.partisan.kv.ring;

import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.ring.RingMessages.BucketTable;
import dev.partisan.kv.ring.RingMessages.BucketTypeTable;
import dev.partisan.runtime.PartisanRuntime;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket entries and bucket types of a {@link BucketRegistry} in node metadata: read back at
 * start, written after every change. A table that cannot be read (written by another build, say) is
 * logged and skipped: the node starts without it and learns the cluster's from the gossip.
 *
 * <p>Used on the ring manager's thread only.
 */
final class BucketTables {
  private static final Logger log = LoggerFactory.getLogger(BucketTables.class);
  private static final String BUCKETS_META = "buckets";
  private static final String TYPES_META = "bucket-types";

  private final PartisanRuntime runtime;
  private final MetaStore meta;
  private final BucketRegistry buckets;
  private final String self;

  BucketTables(PartisanRuntime runtime, MetaStore meta, BucketRegistry buckets) {
    this.runtime = runtime;
    this.meta = meta;
    this.buckets = buckets;
    this.self = runtime.self().name();
  }

  void load() {
    BucketTable table = read(BUCKETS_META, BucketTable.class, "bucket properties");
    if (table != null) {
      table.entries().forEach(buckets::merge);
    }
    BucketTypeTable types = read(TYPES_META, BucketTypeTable.class, "bucket types");
    if (types != null) {
      types.entries().forEach(buckets.types()::merge);
    }
  }

  void persist() {
    try {
      meta.put(BUCKETS_META, runtime.encode(new BucketTable(buckets.entries())).body());
      meta.put(TYPES_META, runtime.encode(new BucketTypeTable(buckets.types().entries())).body());
    } catch (RuntimeException e) {
      log.error("{}: could not persist bucket properties and types: {}", self, e.getMessage());
    }
  }

  /** A table from node metadata, or null when there is none or it is unreadable (logged). */
  private <T> T read(String key, Class<T> type, String what) {
    byte[] bytes = meta.get(key);
    if (bytes == null) {
      return null;
    }
    try {
      int id = runtime.types().idOf(type);
      return type.cast(runtime.types().decodeBody(id, Unpooled.wrappedBuffer(bytes)));
    } catch (RuntimeException e) {
      log.error("{}: stored {} are unreadable: {}", self, what, e.getMessage());
      return null;
    }
  }
}
