package dev.partisan.kv.replica;

import dev.partisan.kv.backend.MetaStore;
import dev.partisan.kv.object.KvObject;
import java.nio.ByteBuffer;

/**
 * Chooses the actor id under which a vnode issues dots for a key.
 *
 * <p>The id is {@code <node>/<partition>.<epoch>}. While the vnode holds the key it keeps using the
 * epoch found in the stored object's context, so contexts stay small. When it holds nothing for the
 * key (a new key, a key whose tombstone was reaped, or data lost with a disk) it takes a fresh
 * epoch: its old counters for the key may be gone, and reusing them could issue a dot that another
 * replica or a client context already knows, silently dropping a write.
 *
 * <p>Epochs grow monotonically: at least the current time in microseconds and above a lease kept in
 * the node metadata, so neither a restart nor a clock step back reuses one.
 *
 * <p>Owned by the vnode actor (not thread-safe).
 */
final class KeyEpochs {
  // A minute of microseconds: the lease is written (synced) at most about once a minute per vnode.
  private static final long LEASE_STEP = 60_000_000;

  private final String base;
  private final String prefix;
  private final MetaStore meta;
  private final String leaseName;
  private long last;
  private long lease;

  KeyEpochs(String node, int partition, MetaStore meta) {
    this.base = node + "/" + partition;
    this.prefix = base + ".";
    this.meta = meta;
    this.leaseName = "epoch-lease/" + partition;
    byte[] stored = meta.get(leaseName);
    this.lease = stored == null || stored.length != 8 ? 0 : ByteBuffer.wrap(stored).getLong();
    this.last = lease;
  }

  /** The actor id for a write to a key whose stored object (or null) is {@code stored}. */
  String actorFor(KvObject stored) {
    if (stored != null) {
      long best = -1;
      for (String actor : stored.context().counters().keySet()) {
        if (actor.startsWith(prefix)) {
          try {
            best = Math.max(best, Long.parseLong(actor.substring(prefix.length()), 36));
          } catch (NumberFormatException e) {
            // not one of ours (a node name that happens to share the prefix)
          }
        }
      }
      if (best >= 0) {
        return prefix + Long.toString(best, 36);
      }
    }
    return prefix + Long.toString(nextEpoch(), 36);
  }

  private long nextEpoch() {
    long now = System.currentTimeMillis() * 1000;
    long next = Math.max(last + 1, now);
    if (next >= lease) {
      lease = next + LEASE_STEP;
      meta.put(leaseName, ByteBuffer.allocate(8).putLong(lease).array());
    }
    last = next;
    return next;
  }
}
