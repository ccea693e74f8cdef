package dev.partisan.kv.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's copy of the cluster metadata: entries merged last-writer-wins per key ({@link
 * MetadataEntry#newerThan}), deletions kept as tombstones so an old value cannot come back from a
 * peer that missed the deletion.
 *
 * <p>Stamps come from a hybrid clock: the wall clock in milliseconds, but always above every stamp
 * this node has written or merged, so a change made after seeing another always wins over it even
 * when the writers' clocks disagree.
 *
 * <p>Thread-safety: a concurrent map and atomics; request threads read it and write their own
 * changes, the metadata gossiper merges peers' entries.
 */
public final class MetadataStore {
  private final String self;
  private final Map<String, MetadataEntry> entries = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong();
  private final AtomicLong version = new AtomicLong();

  public MetadataStore(String self) {
    this.self = self;
  }

  /** Applies an entry if it wins over what is known; returns true if it changed anything. */
  public boolean merge(MetadataEntry entry) {
    clock.accumulateAndGet(entry.stamp(), Math::max);
    boolean[] changed = {false};
    entries.compute(
        entry.key(),
        (k, old) -> {
          if (old == null || entry.newerThan(old)) {
            changed[0] = true;
            return entry;
          }
          return old;
        });
    if (changed[0]) {
      version.incrementAndGet();
    }
    return changed[0];
  }

  /** A new entry written by this node: {@code value} null deletes the key. */
  public MetadataEntry write(String key, Object value) {
    long stamp = clock.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    MetadataEntry e = new MetadataEntry(key, value, stamp, self);
    merge(e);
    return e;
  }

  /** Every entry, tombstones included. */
  public List<MetadataEntry> entries() {
    return new ArrayList<>(entries.values());
  }

  /**
   * A counter that moves whenever an entry changes: readers that derive a view from the entries
   * rebuild it only when this has moved.
   */
  public long version() {
    return version.get();
  }

  /** True if this store holds a write that {@code theirs} lacks or has an older entry of. */
  boolean hasNewerThan(List<MetadataEntry> theirs) {
    Map<String, MetadataEntry> byKey = new java.util.HashMap<>();
    for (MetadataEntry e : theirs) {
      byKey.put(e.key(), e);
    }
    for (MetadataEntry mine : entries.values()) {
      MetadataEntry other = byKey.get(mine.key());
      if (other == null || (!other.sameWrite(mine) && mine.newerThan(other))) {
        return true;
      }
    }
    return false;
  }
}
