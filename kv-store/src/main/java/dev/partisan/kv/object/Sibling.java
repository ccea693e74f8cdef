package dev.partisan.kv.object;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One concurrent version of an object's value, or a tombstone ({@code deleted}).
 *
 * @param dot the write event that created this version; unique per key
 * @param value the value bytes (empty for a tombstone)
 * @param contentType MIME type given by the client
 * @param userMeta client metadata (Riak's X-Riak-Meta-*)
 * @param lastModified wall-clock milliseconds at the coordinating vnode; used only to pick the
 *     newest version when a bucket does not keep siblings, and for tombstone reaping delays
 * @param deleted true for a tombstone
 * @param indexes the secondary-index entries written with this version (sorted, no duplicates)
 */
public record Sibling(
    Dot dot,
    byte[] value,
    String contentType,
    Map<String, String> userMeta,
    long lastModified,
    boolean deleted,
    List<IndexEntry> indexes) {

  public Sibling {
    Objects.requireNonNull(dot, "dot");
    Objects.requireNonNull(value, "value");
    contentType = contentType == null ? "" : contentType;
    userMeta = userMeta == null ? Map.of() : Map.copyOf(userMeta);
    indexes = IndexEntry.normalize(indexes);
  }

  /** A version without index entries. */
  public Sibling(
      Dot dot,
      byte[] value,
      String contentType,
      Map<String, String> userMeta,
      long lastModified,
      boolean deleted) {
    this(dot, value, contentType, userMeta, lastModified, deleted, List.of());
  }

  /** Total order used to pick "the newest" sibling: timestamp, then dot. */
  public static int newestOrder(Sibling a, Sibling b) {
    int c = Long.compare(a.lastModified, b.lastModified);
    return c != 0 ? c : a.dot.compareTo(b.dot);
  }

  /** Approximate bytes this sibling occupies (value plus metadata). */
  public long approximateSize() {
    long size = value.length + contentType.length() + 32L + dot.actor().length();
    for (Map.Entry<String, String> e : userMeta.entrySet()) {
      size += e.getKey().length() + e.getValue().length() + 4L;
    }
    for (IndexEntry e : indexes) {
      size += e.field().length() + e.value().length + 4L;
    }
    return size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sibling s
        && dot.equals(s.dot)
        && lastModified == s.lastModified
        && deleted == s.deleted
        && contentType.equals(s.contentType)
        && userMeta.equals(s.userMeta)
        && indexes.equals(s.indexes)
        && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        dot, lastModified, deleted, contentType, userMeta, indexes, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "Sibling["
        + dot
        + (deleted ? ", tombstone" : ", " + value.length + " bytes")
        + ", "
        + contentType
        + "]";
  }
}
