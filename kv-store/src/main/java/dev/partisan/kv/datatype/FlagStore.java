package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.Set;

/**
 * An enable-wins flag: the dots of the enables not yet disabled. A disable removes the enables this
 * replica has seen; an enable it has not seen (a concurrent one) survives, so the flag stays on.
 */
record FlagStore(Set<Dot> dots) implements Embedded {
  static final FlagStore EMPTY = new FlagStore(Set.of());

  FlagStore {
    dots = Embedded.copy(dots);
  }

  @Override
  public FieldType type() {
    return FieldType.FLAG;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    FlagStore o = Embedded.sameType(this, other, FlagStore.class);
    return new FlagStore(Dots.join(dots, clock, o.dots, otherClock));
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    return ((DtOp.FlagOp) op).enable() ? new FlagStore(Set.of(a.dot())) : EMPTY;
  }

  @Override
  public Embedded reset(VersionVector context) {
    return new FlagStore(Dots.uncovered(dots, context));
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    return this;
  }

  @Override
  public Boolean value() {
    return !dots.isEmpty();
  }
}
