package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A last-write-wins register. Each write replaces the writes this replica holds; concurrent writes
 * all stay (each under its dot) until the next write, and the value shown is the one with the
 * latest timestamp (ties: the greater dot), so every replica shows the same one.
 */
record RegisterStore(Map<Dot, Write> writes) implements Embedded {
  static final RegisterStore EMPTY = new RegisterStore(Map.of());

  /** A value and the coordinating vnode's wall clock when it was written. */
  record Write(long timestamp, DtBytes value) {
    Write {
      Objects.requireNonNull(value, "value");
    }
  }

  RegisterStore {
    writes = Embedded.copy(writes);
  }

  @Override
  public FieldType type() {
    return FieldType.REGISTER;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    RegisterStore o = Embedded.sameType(this, other, RegisterStore.class);
    Map<Dot, Write> out = new HashMap<>();
    writes.forEach(
        (d, w) -> {
          if (o.writes.containsKey(d) || !otherClock.covers(d)) {
            out.put(d, w);
          }
        });
    o.writes.forEach(
        (d, w) -> {
          if (!clock.covers(d)) {
            out.put(d, w);
          }
        });
    return new RegisterStore(out);
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    return new RegisterStore(Map.of(a.dot(), new Write(a.now(), ((DtOp.RegisterOp) op).value())));
  }

  @Override
  public Embedded reset(VersionVector context) {
    Map<Dot, Write> out = new HashMap<>(writes);
    out.keySet().removeIf(context::covers);
    return out.size() == writes.size() ? this : new RegisterStore(out);
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    return this;
  }

  @Override
  public DtBytes value() {
    Map.Entry<Dot, Write> best = null;
    for (Map.Entry<Dot, Write> e : writes.entrySet()) {
      if (best == null || later(e, best)) {
        best = e;
      }
    }
    return best == null ? null : best.getValue().value();
  }

  private static boolean later(Map.Entry<Dot, Write> a, Map.Entry<Dot, Write> b) {
    int c = Long.compare(a.getValue().timestamp(), b.getValue().timestamp());
    return c != 0 ? c > 0 : a.getKey().compareTo(b.getKey()) > 0;
  }
}
