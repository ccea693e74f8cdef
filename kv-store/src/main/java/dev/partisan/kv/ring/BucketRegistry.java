package dev.partisan.kv.ring;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bucket properties known to this node: the node's defaults plus per-bucket entries, spread with
 * the ring gossip and merged last-writer-wins per bucket, so every node (including later joiners)
 * converges on the same settings.
 *
 * <p>Thread-safety: a concurrent map; coordinators read it on every request, the ring manager and
 * admin calls write it.
 */
public final class BucketRegistry {
  private final BucketProps defaults;
  private final Map<ByteBuffer, BucketPropsEntry> entries = new ConcurrentHashMap<>();

  public BucketRegistry(BucketProps defaults) {
    this.defaults = defaults;
  }

  private static ByteBuffer name(byte[] type, byte[] bucket) {
    return ByteBuffer.wrap(new BKey(type, bucket, new byte[] {0}).toStorageKey());
  }

  public BucketProps propsFor(BKey key) {
    if (entries.isEmpty()) {
      return defaults;
    }
    BucketPropsEntry e = entries.get(name(key.type(), key.bucket()));
    return e == null ? defaults : e.props();
  }

  public BucketProps defaults() {
    return defaults;
  }

  /** Applies an entry if it is newer than what is known; returns true if it changed anything. */
  public boolean merge(BucketPropsEntry entry) {
    boolean[] changed = {false};
    entries.compute(
        name(entry.type(), entry.bucket()),
        (k, old) -> {
          if (old == null || entry.newerThan(old)) {
            changed[0] = true;
            return entry;
          }
          return old;
        });
    return changed[0];
  }

  public List<BucketPropsEntry> entries() {
    return new ArrayList<>(entries.values());
  }
}
