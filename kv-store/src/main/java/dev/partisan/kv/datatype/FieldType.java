package dev.partisan.kv.datatype;

import java.util.Locale;

/**
 * The types of the values a data type is made of. All but {@code HLL} can be map fields: Riak names
 * a field's type with a suffix on its name over HTTP ({@code visits_counter}, {@code tags_set},
 * {@code name_register}, {@code active_flag}, {@code address_map}); over PB the type travels as its
 * own field. An {@code HLL} (HyperLogLog) exists only as a bucket's data type.
 */
public enum FieldType {
  COUNTER,
  SET,
  REGISTER,
  FLAG,
  MAP,
  HLL;

  /** Riak's name of the type: {@code counter}, {@code set}, {@code register}, {@code flag}, ... */
  public String riakName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code name}; a {@link DatatypeException} for anything else. */
  public static FieldType ofRiakName(String name) {
    for (FieldType t : values()) {
      if (t.riakName().equals(name)) {
        return t;
      }
    }
    throw new DatatypeException(
        "unknown map field type '" + name + "' (known: counter, set, register, flag, map)");
  }
}
