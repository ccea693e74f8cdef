package dev.partisan.kv;

import dev.partisan.kv.object.IndexEntry;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value as clients see it: bytes, content type and user metadata; {@code lastModified} (epoch
 * milliseconds) is set by the store on reads and ignored on writes. {@code indexes} are its
 * secondary-index entries (docs/2i.md), sorted and without duplicates.
 */
public record Content(
    byte[] value,
    String contentType,
    Map<String, String> userMeta,
    long lastModified,
    List<IndexEntry> indexes) {
  public Content {
    Objects.requireNonNull(value, "value");
    contentType = contentType == null ? "application/octet-stream" : contentType;
    userMeta = userMeta == null ? Map.of() : Map.copyOf(userMeta);
    indexes = IndexEntry.normalize(indexes);
  }

  /** A value without index entries. */
  public Content(
      byte[] value, String contentType, Map<String, String> userMeta, long lastModified) {
    this(value, contentType, userMeta, lastModified, List.of());
  }

  /** This value with {@code entries} as its index entries. */
  public Content withIndexes(Collection<IndexEntry> entries) {
    return new Content(value, contentType, userMeta, lastModified, List.copyOf(entries));
  }

  public static Content of(byte[] value) {
    return new Content(value, "application/octet-stream", Map.of(), 0);
  }

  public static Content of(byte[] value, String contentType) {
    return new Content(value, contentType, Map.of(), 0);
  }

  public static Content text(String value) {
    return new Content(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain", Map.of(), 0);
  }

  public String valueAsString() {
    return new String(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Content c
        && lastModified == c.lastModified
        && contentType.equals(c.contentType)
        && userMeta.equals(c.userMeta)
        && indexes.equals(c.indexes)
        && Arrays.equals(value, c.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastModified, contentType, userMeta, indexes, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "Content[" + value.length + " bytes, " + contentType + "]";
  }
}
