package dev.partisan.kv.datatype;

import dev.partisan.kv.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An update of a data type, as a client sends it. Operations are immutable values; one is applied
 * by the coordinating vnode to its merged state ({@link DtState#apply}).
 */
public sealed interface DtOp {

  /** The field type this operation updates (for a field update in a map). */
  FieldType fieldType();

  /** True when the operation removes something, which needs a causal context. */
  boolean needsContext();

  /** The top-level data type this operation updates, or a {@link DatatypeException}. */
  default DataType dataType() {
    return switch (fieldType()) {
      case COUNTER -> DataType.COUNTER;
      case SET -> DataType.SET;
      case MAP -> DataType.MAP;
      case HLL -> DataType.HLL;
      default ->
          throw new DatatypeException(
              "a " + fieldType().riakName() + " exists only as a field of a map");
    };
  }

  /** Adds {@code increment} (negative: decrements) to a counter. */
  record CounterOp(long increment) implements DtOp {
    @Override
    public FieldType fieldType() {
      return FieldType.COUNTER;
    }

    @Override
    public boolean needsContext() {
      return false;
    }
  }

  /** Adds and removes set elements; an element both added and removed ends up added. */
  record SetOp(List<DtBytes> adds, List<DtBytes> removes) implements DtOp {
    public SetOp {
      adds = List.copyOf(adds);
      removes = List.copyOf(removes);
    }

    /** Adds the UTF-8 encodings of {@code elements}. */
    public static SetOp add(String... elements) {
      return new SetOp(utf8(elements), List.of());
    }

    /** Removes the UTF-8 encodings of {@code elements}. */
    public static SetOp remove(String... elements) {
      return new SetOp(List.of(), utf8(elements));
    }

    @Override
    public FieldType fieldType() {
      return FieldType.SET;
    }

    @Override
    public boolean needsContext() {
      return !removes.isEmpty();
    }
  }

  /** Adds elements to a HyperLogLog, which estimates how many distinct elements it was given. */
  record HllOp(List<DtBytes> adds) implements DtOp {
    public HllOp {
      adds = List.copyOf(adds);
    }

    /** Adds the UTF-8 encodings of {@code elements}. */
    public static HllOp add(String... elements) {
      return new HllOp(utf8(elements));
    }

    @Override
    public FieldType fieldType() {
      return FieldType.HLL;
    }

    @Override
    public boolean needsContext() {
      return false;
    }
  }

  /** Sets a register (last write wins, by the coordinating vnode's clock). */
  record RegisterOp(DtBytes value) implements DtOp {
    public RegisterOp {
      Objects.requireNonNull(value, "value");
    }

    /** Sets the register to the UTF-8 encoding of {@code value}. */
    public RegisterOp(String value) {
      this(DtBytes.ofUtf8(value));
    }

    @Override
    public FieldType fieldType() {
      return FieldType.REGISTER;
    }

    @Override
    public boolean needsContext() {
      return false;
    }
  }

  private static List<DtBytes> utf8(String... texts) {
    return Arrays.stream(texts).map(DtBytes::ofUtf8).toList();
  }

  /** Enables or disables a flag; a concurrent enable beats a disable. */
  record FlagOp(boolean enable) implements DtOp {
    @Override
    public FieldType fieldType() {
      return FieldType.FLAG;
    }

    @Override
    public boolean needsContext() {
      return false;
    }
  }

  /** Removes fields, then applies field updates; a concurrent update of a field beats a remove. */
  record MapOp(List<FieldKey> removes, List<FieldUpdate> updates) implements DtOp {
    public MapOp {
      removes = List.copyOf(removes);
      updates = List.copyOf(updates);
    }

    public static MapOp update(FieldKey field, DtOp op) {
      return new MapOp(List.of(), List.of(new FieldUpdate(field, op)));
    }

    @Override
    public FieldType fieldType() {
      return FieldType.MAP;
    }

    @Override
    public boolean needsContext() {
      return !removes.isEmpty() || updates.stream().anyMatch(u -> u.op().needsContext());
    }
  }

  /** One field's update inside a {@link MapOp}; the operation's type must be the field's type. */
  record FieldUpdate(FieldKey field, DtOp op) {
    public FieldUpdate {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      if (op.fieldType() != field.type()) {
        throw new DatatypeException(
            "map field '"
                + field.suffixed()
                + "' is a "
                + field.type().riakName()
                + " but its update is a "
                + op.fieldType().riakName()
                + " operation");
      }
    }
  }
}
