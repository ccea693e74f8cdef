package dev.partisan.kv;

import java.util.Locale;

/**
 * The convergent data types a bucket type can hold, as Riak 2 names them in its {@code datatype}
 * property. A bucket type's data type is fixed when the type is created: every object in its
 * buckets is a value of that type, updated by operations rather than written whole.
 */
public enum DataType {
  COUNTER,
  SET,
  MAP,
  HLL;

  /** Riak's name: {@code counter}, {@code set}, {@code map}, {@code hll}. */
  public String riakName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code name} (Riak's spelling); IllegalArgumentException for anything else. */
  public static DataType ofRiakName(String name) {
    for (DataType t : values()) {
      if (t.riakName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown data type '" + name + "' (known: counter, set, map, hll)");
  }
}
