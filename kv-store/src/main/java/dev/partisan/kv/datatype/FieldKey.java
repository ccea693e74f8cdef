package dev.partisan.kv.datatype;

import java.util.Objects;

/**
 * A map field: its name (any bytes, as in Riak) and type. Two fields of the same name but different
 * types are distinct. Ordered by name (unsigned bytes), then type.
 */
public record FieldKey(DtBytes name, FieldType type) implements Comparable<FieldKey> {
  public FieldKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (type == FieldType.HLL) {
      throw new DatatypeException("a hll cannot be a map field");
    }
  }

  /** The field named by the UTF-8 encoding of {@code name}. */
  public FieldKey(String name, FieldType type) {
    this(DtBytes.ofUtf8(name), type);
  }

  /**
   * The field that Riak's HTTP API names {@code name_type} (for example {@code visits_counter}); a
   * {@link DatatypeException} naming the field when there is no known type suffix.
   */
  public static FieldKey ofSuffixed(String suffixed) {
    int us = suffixed.lastIndexOf('_');
    if (us <= 0 || us == suffixed.length() - 1) {
      throw new DatatypeException(
          "map field '"
              + suffixed
              + "' has no type suffix (_counter, _set, _register, _flag or _map)");
    }
    try {
      return new FieldKey(
          suffixed.substring(0, us), FieldType.ofRiakName(suffixed.substring(us + 1)));
    } catch (DatatypeException e) {
      throw new DatatypeException("map field '" + suffixed + "': " + e.getMessage());
    }
  }

  /**
   * Riak's HTTP spelling, {@code name_type}, for messages: a name that is not UTF-8 shows as {@code
   * 0x} and its hex (see {@link DtBytes#toString()}). JSON uses {@link #suffixedUtf8()}.
   */
  public String suffixed() {
    return name + "_" + type.riakName();
  }

  /**
   * Riak's HTTP spelling, {@code name_type}; a {@link DatatypeException} if the name is not text.
   */
  public String suffixedUtf8() {
    return name.utf8() + "_" + type.riakName();
  }

  @Override
  public int compareTo(FieldKey o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : type.compareTo(o.type);
  }
}
