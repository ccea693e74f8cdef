package dev.partisan.kv.datatype;

import dev.partisan.kv.DataType;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The replicated state of one data-type object: its value, the causal context of every operation
 * applied to it ({@code clock}), and the removes whose context has seen adds this state has not
 * ({@code deferred}), which apply again when those adds arrive. {@link #join} is commutative,
 * associative and idempotent; {@link #apply} runs only at a coordinating vnode, under its actor.
 *
 * <p>Immutable.
 */
public record DtState(DataType type, VersionVector clock, Embedded value, Set<Removal> deferred) {

  public DtState {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(value, "value");
    deferred = Set.copyOf(deferred);
    if (value.type() != fieldTypeOf(type)) {
      throw new IllegalArgumentException(
          "a " + type.riakName() + " state holds a " + value.type().riakName());
    }
  }

  /** The state of an object that has never been updated. */
  public static DtState empty(DataType type) {
    return new DtState(type, VersionVector.EMPTY, Embedded.empty(fieldTypeOf(type)), Set.of());
  }

  static FieldType fieldTypeOf(DataType type) {
    return switch (type) {
      case COUNTER -> FieldType.COUNTER;
      case SET -> FieldType.SET;
      case MAP -> FieldType.MAP;
      case HLL -> FieldType.HLL;
    };
  }

  /**
   * This state after {@code op}, applied by {@code actor} (which must issue its dots for this
   * object in order) at wall-clock {@code now}. {@code context} is what the client fetched (null:
   * none); an operation that removes anything is refused without one.
   */
  public DtState apply(DtOp op, VersionVector context, String actor, long now) {
    if (op.dataType() != type) {
      throw new DatatypeException(
          "a " + op.dataType().riakName() + " operation cannot update a " + type.riakName());
    }
    if (op.needsContext() && context == null) {
      throw new DatatypeException(
          "a remove needs the context of an earlier fetch (Riak refuses removes without one)");
    }
    Dot dot = new Dot(actor, clock.get(actor) + 1);
    Applying a = Applying.of(dot, context, now);
    Embedded applied = value.apply(op, a);
    Set<Removal> pending = new HashSet<>(deferred);
    pending.addAll(a.removals());
    return settle(type, clock.with(dot), applied, pending);
  }

  /** The state holding both states' histories. */
  public DtState join(DtState other) {
    if (other.type != type) {
      throw new DatatypeException(
          "cannot merge a " + type.riakName() + " with a " + other.type.riakName());
    }
    if (equals(other)) {
      return this;
    }
    Embedded joined = value.join(clock, other.value, other.clock);
    Set<Removal> pending = new HashSet<>(deferred);
    pending.addAll(other.deferred);
    return settle(type, clock.join(other.clock), joined, pending);
  }

  /**
   * Applies the pending removes, and keeps only those whose context has seen something {@code
   * clock} has not: once the clock covers a remove's context, every dot it removes is known here,
   * and a join drops them wherever else they still are.
   */
  private static DtState settle(
      DataType type, VersionVector clock, Embedded value, Set<Removal> pending) {
    Set<Removal> kept = new HashSet<>();
    for (Removal r : pending) {
      value = value.remove(r, 0);
      if (!clock.descends(r.context())) {
        kept.add(r);
      }
    }
    return new DtState(type, clock, value, kept);
  }

  /** The value clients see (see {@link Embedded#value()} for its Java type). */
  public Object clientValue() {
    return value.value();
  }

  /** The context a client sends back with a remove: everything this state has seen. */
  public VersionVector context() {
    return clock;
  }
}
