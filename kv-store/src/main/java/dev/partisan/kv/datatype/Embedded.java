package dev.partisan.kv.datatype;

import dev.partisan.kv.object.VersionVector;
import java.util.Map;
import java.util.Set;

/**
 * A value stored under a causal context: a top-level counter, set or map, or a map field. Every
 * contribution carries the dot of the operation that made it, so a remove can take away exactly
 * what its context has seen, and a join can tell "removed there" from "not yet seen there".
 * Implementations are immutable.
 */
sealed interface Embedded
    permits CounterStore, SetStore, RegisterStore, FlagStore, MapStore, HllStore {

  FieldType type();

  /** The join with {@code other}, given each side's causal context. */
  Embedded join(VersionVector clock, Embedded other, VersionVector otherClock);

  /** This value after {@code op} (whose type is this value's type). */
  Embedded apply(DtOp op, Applying a);

  /** This value without the contributions {@code context} has seen (a reset-remove). */
  Embedded reset(VersionVector context);

  /** Applies {@code r}, whose path below this value starts at {@code depth}. */
  Embedded remove(Removal r, int depth);

  /**
   * The value clients see: a {@code Long} (counter), a sorted {@code Set<DtBytes>} (set), a {@link
   * DtBytes} or null (register), a {@code Boolean} (flag), a sorted {@code Map<FieldKey, Object>}
   * (map), a {@code Long} estimate (hll).
   */
  Object value();

  static Embedded empty(FieldType type) {
    return switch (type) {
      case COUNTER -> CounterStore.EMPTY;
      case SET -> SetStore.EMPTY;
      case REGISTER -> RegisterStore.EMPTY;
      case FLAG -> FlagStore.EMPTY;
      case MAP -> MapStore.EMPTY;
      case HLL -> HllStore.EMPTY;
    };
  }

  /** Checks that a join's two sides are of one type (a decoding could put anything anywhere). */
  static <T extends Embedded> T sameType(Embedded mine, Embedded other, Class<T> type) {
    if (!type.isInstance(other)) {
      throw new DatatypeException(
          "cannot merge a " + mine.type().riakName() + " with a " + other.type().riakName());
    }
    return type.cast(other);
  }

  /** An immutable copy, for the stores' constructors. */
  static <K, V> Map<K, V> copy(Map<K, V> m) {
    return Map.copyOf(m);
  }

  static <T> Set<T> copy(Set<T> s) {
    return Set.copyOf(s);
  }
}
