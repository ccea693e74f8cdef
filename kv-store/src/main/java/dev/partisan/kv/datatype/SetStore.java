package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An add-wins observed-remove set (riak_dt's ORSWOT): each element with the dots of the adds that
 * put it there. An add replaces the element's dots with its own; a remove takes away the dots its
 * context has seen, so an add the remover had not seen keeps the element.
 */
record SetStore(Map<DtBytes, Set<Dot>> elements) implements Embedded {
  static final SetStore EMPTY = new SetStore(Map.of());

  SetStore {
    Map<DtBytes, Set<Dot>> copy = new HashMap<>();
    elements.forEach(
        (e, dots) -> {
          if (dots.isEmpty()) {
            throw new IllegalArgumentException("set element '" + e + "' without dots");
          }
          copy.put(e, Set.copyOf(dots));
        });
    elements = Map.copyOf(copy);
  }

  @Override
  public FieldType type() {
    return FieldType.SET;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    SetStore o = Embedded.sameType(this, other, SetStore.class);
    Set<DtBytes> names = new HashSet<>(elements.keySet());
    names.addAll(o.elements.keySet());
    Map<DtBytes, Set<Dot>> out = new HashMap<>();
    for (DtBytes e : names) {
      Set<Dot> dots =
          Dots.join(
              elements.getOrDefault(e, Set.of()),
              clock,
              o.elements.getOrDefault(e, Set.of()),
              otherClock);
      if (!dots.isEmpty()) {
        out.put(e, dots);
      }
    }
    return new SetStore(out);
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    DtOp.SetOp s = (DtOp.SetOp) op;
    Embedded result = this;
    for (DtBytes e : s.removes()) {
      result = result.remove(a.removal(e, null), a.path().size());
    }
    Map<DtBytes, Set<Dot>> out = new HashMap<>(((SetStore) result).elements);
    for (DtBytes e : s.adds()) {
      out.put(e, Set.of(a.dot()));
    }
    return new SetStore(out);
  }

  @Override
  public Embedded reset(VersionVector context) {
    Map<DtBytes, Set<Dot>> out = new HashMap<>();
    elements.forEach(
        (e, dots) -> {
          Set<Dot> left = Dots.uncovered(dots, context);
          if (!left.isEmpty()) {
            out.put(e, left);
          }
        });
    return new SetStore(out);
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    Set<Dot> dots = elements.get(r.element());
    if (r.element() == null || depth != r.path().size() || dots == null) {
      return this;
    }
    Map<DtBytes, Set<Dot>> out = new HashMap<>(elements);
    Set<Dot> left = Dots.uncovered(dots, r.context());
    if (left.isEmpty()) {
      out.remove(r.element());
    } else {
      out.put(r.element(), left);
    }
    return new SetStore(out);
  }

  @Override
  public Set<DtBytes> value() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(elements.keySet()));
  }
}
