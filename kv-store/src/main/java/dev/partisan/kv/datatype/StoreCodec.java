package dev.partisan.kv.datatype;

import dev.partisan.kv.datatype.DtCodec.Wire;
import dev.partisan.kv.object.ByteReader;
import dev.partisan.kv.object.ByteWriter;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.MalformedDataException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The binary form of each store, sorted so that equal stores encode identically. */
final class StoreCodec {
  private StoreCodec() {}

  static void encode(ByteWriter w, Embedded e) {
    switch (e) {
      case CounterStore c -> {
        w.varLong(c.entries().size());
        new TreeMap<>(c.entries())
            .values()
            .forEach(
                x -> {
                  Wire.dot(w, x.dot());
                  w.varLong(x.increments());
                  w.varLong(x.decrements());
                });
      }
      case SetStore s -> {
        w.varLong(s.elements().size());
        new TreeMap<>(s.elements())
            .forEach(
                (el, dots) -> {
                  Wire.bytes(w, el);
                  dots(w, dots);
                });
      }
      case RegisterStore g -> {
        w.varLong(g.writes().size());
        new TreeMap<>(g.writes())
            .forEach(
                (d, x) -> {
                  Wire.dot(w, d);
                  w.varLong(x.timestamp());
                  Wire.bytes(w, x.value());
                });
      }
      case FlagStore f -> dots(w, f.dots());
      case HllStore h -> h.encode(w);
      case MapStore m -> {
        w.varLong(m.fields().size());
        new TreeMap<>(m.fields())
            .forEach(
                (k, f) -> {
                  Wire.field(w, k);
                  dots(w, f.presence());
                  encode(w, f.value());
                });
      }
    }
  }

  static Embedded decode(ByteReader r, FieldType type, int depth) {
    if (depth > DtCodec.MAX_DEPTH) {
      throw new MalformedDataException("maps nested deeper than " + DtCodec.MAX_DEPTH);
    }
    int n = r.count(type.riakName() + " entries");
    return switch (type) {
      case COUNTER -> {
        Map<String, CounterStore.Entry> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
          Dot d = Wire.readDot(r);
          CounterStore.Entry e =
              new CounterStore.Entry(d, r.varLong("increments"), r.varLong("decrements"));
          unique(m.put(d.actor(), e) == null, "counter actor " + d.actor());
        }
        yield new CounterStore(m);
      }
      case SET -> {
        Map<DtBytes, Set<Dot>> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
          DtBytes el = Wire.readBytes(r, "set element");
          unique(m.put(el, readDots(r)) == null, "set element " + el);
        }
        yield new SetStore(m);
      }
      case REGISTER -> {
        Map<Dot, RegisterStore.Write> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
          Dot d = Wire.readDot(r);
          RegisterStore.Write x =
              new RegisterStore.Write(r.varLong("timestamp"), Wire.readBytes(r, "register value"));
          unique(m.put(d, x) == null, "register dot " + d);
        }
        yield new RegisterStore(m);
      }
      case FLAG -> new FlagStore(dotsOf(r, n));
      case HLL -> HllStore.decode(r, n);
      case MAP -> {
        Map<FieldKey, MapStore.Field> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
          FieldKey k = Wire.readField(r);
          Set<Dot> presence = readDots(r);
          MapStore.Field f = new MapStore.Field(presence, decode(r, k.type(), depth + 1));
          unique(m.put(k, f) == null, "map field " + k.suffixed());
        }
        yield new MapStore(m);
      }
    };
  }

  private static void dots(ByteWriter w, Set<Dot> dots) {
    w.varLong(dots.size());
    new TreeSet<>(dots).forEach(d -> Wire.dot(w, d));
  }

  private static Set<Dot> readDots(ByteReader r) {
    return dotsOf(r, r.count("dots"));
  }

  private static Set<Dot> dotsOf(ByteReader r, int n) {
    Set<Dot> dots = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Dot d = Wire.readDot(r);
      unique(dots.add(d), "dot " + d);
    }
    return dots;
  }

  private static void unique(boolean added, String what) {
    if (!added) {
      throw new MalformedDataException(what + " appears twice");
    }
  }
}
