package dev.partisan.kv.coverage;

import dev.partisan.kv.BKey;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.coverage.CoverageMessages.BucketPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.IndexPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.KeyPageRequest;
import dev.partisan.kv.coverage.CoverageMessages.Page;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.ring.Keyspace;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers coverage page requests from this node's backend. A fold reads a consistent snapshot of
 * the partition straight from the backend (backends allow folds from any thread), so a query never
 * queues behind the vnode's requests; tombstones are skipped. Each page is its own fold, started
 * just after where the previous page stopped. Stateless: any thread may call {@link #answer}.
 */
final class PartitionReader implements Actor {
  private static final Logger log = LoggerFactory.getLogger(PartitionReader.class);
  private static final byte[] NONE = new byte[0];

  private final Backend backend;

  PartitionReader(Backend backend) {
    this.backend = backend;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    Page page = answer(message);
    if (page != null) {
      ctx.reply(page);
    }
  }

  /** The page a request asks for; null for a message that is not one. */
  Page answer(Object message) {
    try {
      return switch (message) {
        case KeyPageRequest r -> keys(r);
        case BucketPageRequest r -> buckets(r);
        case IndexPageRequest r -> index(r);
        default -> null;
      };
    } catch (RuntimeException e) {
      log.warn("coverage read failed for {}: {}", message.getClass().getSimpleName(), e.toString());
      return Page.failed("fold failed: " + e.getMessage());
    }
  }

  private Page keys(KeyPageRequest r) {
    List<byte[]> keys = new ArrayList<>();
    byte[][] last = {NONE};
    boolean[] more = {false};
    byte[] start = r.after().length > 0 ? r.after() : prefix(r.type(), r.bucket());
    backend.fold(
        r.partition(),
        start,
        (storageKey, value) -> {
          BKey key = parse(storageKey);
          if (key == null) {
            return true;
          }
          if (!Arrays.equals(key.type(), r.type()) || !Arrays.equals(key.bucket(), r.bucket())) {
            return false; // past the bucket's contiguous range
          }
          if (Keyspace.firstPartition(key.position(), r.ringSize()) != r.firstPartition()
              || isTombstone(value)) {
            return true;
          }
          if (keys.size() == r.limit()) {
            more[0] = true;
            return false;
          }
          keys.add(key.key());
          last[0] = storageKey;
          return true;
        });
    return new Page(keys, last[0], more[0], "");
  }

  private Page buckets(BucketPageRequest r) {
    List<byte[]> buckets = new ArrayList<>();
    byte[] after = r.after().length > 0 ? bucketEnd(r.type(), r.after()) : prefix(r.type());
    while (buckets.size() < r.limit()) {
      byte[][] found = {null};
      backend.fold(
          r.partition(),
          after,
          (storageKey, value) -> {
            BKey key = parse(storageKey);
            if (key == null) {
              return true;
            }
            if (!Arrays.equals(key.type(), r.type())) {
              return false; // past the type's contiguous range
            }
            if (isTombstone(value)) {
              return true;
            }
            found[0] = key.bucket();
            return false;
          });
      if (found[0] == null) {
        return new Page(buckets, NONE, false, "");
      }
      buckets.add(found[0]);
      after = bucketEnd(r.type(), found[0]);
    }
    return new Page(buckets, buckets.getLast(), true, "");
  }

  private Page index(IndexPageRequest r) {
    List<byte[]> hits = new ArrayList<>();
    byte[][] last = {NONE};
    boolean[] more = {false};
    backend.foldIndex(
        r.partition(),
        r.from(),
        r.to(),
        indexKey -> {
          if (hits.size() == r.limit()) {
            more[0] = true;
            return false;
          }
          last[0] = indexKey;
          BKey key = IndexKeys.objectKey(indexKey);
          if (Keyspace.firstPartition(key.position(), r.ringSize()) == r.firstPartition()) {
            hits.add(indexKey);
          }
          return true;
        });
    return new Page(hits, last[0], more[0], "");
  }

  private static BKey parse(byte[] storageKey) {
    try {
      return BKey.fromStorageKey(storageKey);
    } catch (IllegalArgumentException e) {
      return null; // not an object key
    }
  }

  /** The storage-key prefix every object of the given type (and bucket) starts with. */
  static byte[] prefix(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length + 4).sum());
    for (byte[] p : parts) {
      b.putInt(p.length).put(p);
    }
    return b.array();
  }

  /** A storage key above every key of the bucket and below the next bucket's (keys are shorter). */
  private static byte[] bucketEnd(byte[] type, byte[] bucket) {
    byte[] p = prefix(type, bucket);
    byte[] end = Arrays.copyOf(p, p.length + 4);
    Arrays.fill(end, p.length, end.length, (byte) 0xFF);
    return end;
  }

  private static boolean isTombstone(byte[] value) {
    try {
      return ObjectCodec.decode(value).isTombstone();
    } catch (RuntimeException e) {
      return true; // unreadable objects are not listed; reads report them
    }
  }
}
