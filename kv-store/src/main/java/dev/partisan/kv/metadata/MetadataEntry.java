package dev.partisan.kv.metadata;

import java.util.Objects;

/**
 * One key of the cluster metadata as gossiped and persisted: its value (a registered wire record),
 * or null for a tombstone that remembers a deletion, stamped by the node that wrote it. Two entries
 * of one key merge to the one with the greater (stamp, origin): last writer wins, the origin's name
 * breaking ties, so every node converges on the same entry whatever order it learns them in.
 */
public record MetadataEntry(String key, Object value, long stamp, String origin) {
  public MetadataEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(origin, "origin");
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** True if this entry wins over {@code other} (an entry of the same key). */
  public boolean newerThan(MetadataEntry other) {
    int c = Long.compare(stamp, other.stamp);
    return c != 0 ? c > 0 : origin.compareTo(other.origin) > 0;
  }

  /** True if both are the same write (stamp and origin); values are not compared. */
  boolean sameWrite(MetadataEntry other) {
    return stamp == other.stamp && origin.equals(other.origin);
  }
}
