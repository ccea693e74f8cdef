package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A map of fields keyed by name and type. A field is present while it holds a dot of an update not
 * yet removed; a remove takes away the field's dots and its value's contributions that the remove's
 * context has seen (a reset-remove), so a concurrent update keeps the field, with only what the
 * remover had not seen.
 */
record MapStore(Map<FieldKey, Field> fields) implements Embedded {
  static final MapStore EMPTY = new MapStore(Map.of());

  /** A present field: the dots of the updates that keep it present, and its value. */
  record Field(Set<Dot> presence, Embedded value) {
    Field {
      presence = Set.copyOf(presence);
      Objects.requireNonNull(value, "value");
      if (presence.isEmpty()) {
        throw new IllegalArgumentException("a present map field needs a dot");
      }
    }
  }

  MapStore {
    fields.forEach(
        (k, f) -> {
          if (f.value().type() != k.type()) {
            throw new IllegalArgumentException(
                "map field " + k.suffixed() + " holds a " + f.value().type().riakName());
          }
        });
    fields = Map.copyOf(fields);
  }

  @Override
  public FieldType type() {
    return FieldType.MAP;
  }

  @Override
  public Embedded join(VersionVector clock, Embedded other, VersionVector otherClock) {
    MapStore o = Embedded.sameType(this, other, MapStore.class);
    Set<FieldKey> keys = new HashSet<>(fields.keySet());
    keys.addAll(o.fields.keySet());
    Map<FieldKey, Field> out = new HashMap<>();
    for (FieldKey k : keys) {
      Field mine = fields.get(k);
      Field theirs = o.fields.get(k);
      Set<Dot> presence =
          Dots.join(
              mine == null ? Set.of() : mine.presence(),
              clock,
              theirs == null ? Set.of() : theirs.presence(),
              otherClock);
      if (!presence.isEmpty()) {
        Embedded value = valueOf(mine, k).join(clock, valueOf(theirs, k), otherClock);
        out.put(k, new Field(presence, value));
      }
    }
    return new MapStore(out);
  }

  private static Embedded valueOf(Field f, FieldKey k) {
    return f == null ? Embedded.empty(k.type()) : f.value();
  }

  @Override
  public Embedded apply(DtOp op, Applying a) {
    DtOp.MapOp m = (DtOp.MapOp) op;
    Embedded result = this;
    for (FieldKey k : m.removes()) {
      result = result.remove(a.removal(null, k), a.path().size());
    }
    Map<FieldKey, Field> out = new HashMap<>(((MapStore) result).fields);
    for (DtOp.FieldUpdate u : m.updates()) {
      Embedded value = valueOf(out.get(u.field()), u.field()).apply(u.op(), a.at(u.field()));
      out.put(u.field(), new Field(Set.of(a.dot()), value));
    }
    return new MapStore(out);
  }

  @Override
  public Embedded reset(VersionVector context) {
    Map<FieldKey, Field> out = new HashMap<>();
    fields.forEach(
        (k, f) -> {
          Set<Dot> presence = Dots.uncovered(f.presence(), context);
          if (!presence.isEmpty()) {
            out.put(k, new Field(presence, f.value().reset(context)));
          }
        });
    return new MapStore(out);
  }

  @Override
  public Embedded remove(Removal r, int depth) {
    if (depth == r.path().size()) {
      Field f = r.field() == null ? null : fields.get(r.field());
      if (f == null) {
        return this;
      }
      Map<FieldKey, Field> out = new HashMap<>(fields);
      Set<Dot> presence = Dots.uncovered(f.presence(), r.context());
      if (presence.isEmpty()) {
        out.remove(r.field());
      } else {
        out.put(r.field(), new Field(presence, f.value().reset(r.context())));
      }
      return new MapStore(out);
    }
    FieldKey next = r.path().get(depth);
    Field f = fields.get(next);
    if (f == null) {
      return this;
    }
    Map<FieldKey, Field> out = new HashMap<>(fields);
    out.put(next, new Field(f.presence(), f.value().remove(r, depth + 1)));
    return new MapStore(out);
  }

  @Override
  public Map<FieldKey, Object> value() {
    TreeMap<FieldKey, Object> out = new TreeMap<>();
    fields.forEach((k, f) -> out.put(k, f.value().value()));
    return Collections.unmodifiableSortedMap(out);
  }
}
