package dev.partisan.kv.datatype;

import dev.partisan.kv.DataType;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A data type's value as clients see it. {@code value} is a {@code Long} for a counter, a sorted
 * {@code Set<DtBytes>} for a set, and a sorted {@code Map<FieldKey, Object>} for a map, whose
 * values are {@code Long} (counter), {@code Set<DtBytes>} (set), {@link DtBytes} (register), {@code
 * Boolean} (flag) and {@code Map<FieldKey, Object>} (map), and a {@code Long} estimate for a hll.
 */
public record DtValue(DataType type, Object value) {
  public DtValue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  static DtValue of(DtState s) {
    return new DtValue(s.type(), s.clientValue());
  }

  public long counter() {
    return (Long) as(DataType.COUNTER);
  }

  /** A hll's estimate of the distinct elements added. */
  public long hll() {
    return (Long) as(DataType.HLL);
  }

  @SuppressWarnings("unchecked")
  public Set<DtBytes> set() {
    return (Set<DtBytes>) as(DataType.SET);
  }

  @SuppressWarnings("unchecked")
  public Map<FieldKey, Object> map() {
    return (Map<FieldKey, Object>) as(DataType.MAP);
  }

  private Object as(DataType wanted) {
    if (type != wanted) {
      throw new IllegalStateException("a " + type.riakName() + ", not a " + wanted.riakName());
    }
    return value;
  }
}
