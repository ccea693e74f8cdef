package dev.partisan.kv.object;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a client writes: a value with its metadata, or a deletion (tombstone). {@code indexes} are
 * the secondary-index entries of the value (none for a tombstone).
 */
public record Update(
    byte[] value,
    String contentType,
    Map<String, String> userMeta,
    boolean delete,
    List<IndexEntry> indexes) {
  public Update {
    Objects.requireNonNull(value, "value");
    contentType = contentType == null ? "" : contentType;
    userMeta = userMeta == null ? Map.of() : Map.copyOf(userMeta);
    indexes = delete ? List.of() : IndexEntry.normalize(indexes);
  }

  /** A write without index entries. */
  public Update(byte[] value, String contentType, Map<String, String> userMeta, boolean delete) {
    this(value, contentType, userMeta, delete, List.of());
  }

  public static Update tombstone() {
    return new Update(new byte[0], "", Map.of(), true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Update u
        && delete == u.delete
        && contentType.equals(u.contentType)
        && userMeta.equals(u.userMeta)
        && indexes.equals(u.indexes)
        && Arrays.equals(value, u.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(delete, contentType, userMeta, indexes, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return delete ? "Update[delete]" : "Update[" + value.length + " bytes, " + contentType + "]";
  }
}
