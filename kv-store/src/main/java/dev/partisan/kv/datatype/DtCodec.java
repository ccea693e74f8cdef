package dev.partisan.kv.datatype;

import dev.partisan.kv.DataType;
import dev.partisan.kv.object.ByteReader;
import dev.partisan.kv.object.ByteWriter;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.VersionVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The binary forms of data-type states (stored as an object's value) and of client contexts.
 * Versioned (a leading format byte) and strictly validated: anything but exactly what {@link
 * #encode} writes fails with a {@link MalformedDataException} saying what is wrong. Encodings are
 * deterministic (entries sorted), so equal states encode to equal bytes on every replica.
 */
public final class DtCodec {
  static final int STATE_FORMAT = 1;
  static final int CONTEXT_FORMAT = 1;

  /** Deeper maps than this are refused, so hostile bytes cannot exhaust the stack. */
  static final int MAX_DEPTH = 32;

  /** The content type of a stored data-type value (what a plain read of the key shows). */
  public static final String CONTENT_TYPE = "application/x-partisan-datatype";

  private DtCodec() {}

  public static byte[] encode(DtState s) {
    ByteWriter w = new ByteWriter(64);
    w.u8(STATE_FORMAT);
    w.u8(s.type().ordinal());
    Wire.vector(w, s.clock());
    StoreCodec.encode(w, s.value());
    List<byte[]> removals = new ArrayList<>();
    for (Removal r : s.deferred()) {
      ByteWriter rw = new ByteWriter(32);
      Wire.vector(rw, r.context());
      Wire.path(rw, r.path());
      if (r.element() != null) {
        rw.u8(0);
        Wire.bytes(rw, r.element());
      } else {
        rw.u8(1);
        Wire.field(rw, r.field());
      }
      removals.add(rw.toByteArray());
    }
    removals.sort(Arrays::compare);
    w.varLong(removals.size());
    for (byte[] r : removals) {
      w.bytes(r);
    }
    return w.toByteArray();
  }

  public static DtState decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.u8("format");
    if (format != STATE_FORMAT) {
      throw new MalformedDataException("unknown data-type state format " + format);
    }
    int t = r.u8("type");
    if (t >= DataType.values().length) {
      throw new MalformedDataException("unknown data type tag " + t);
    }
    DataType type = DataType.values()[t];
    try {
      VersionVector clock = Wire.readVector(r);
      Embedded value = StoreCodec.decode(r, DtState.fieldTypeOf(type), 0);
      int n = r.count("deferred removes");
      java.util.Set<Removal> deferred = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        ByteReader rr = new ByteReader(r.bytes("deferred remove"));
        VersionVector ctx = Wire.readVector(rr);
        List<FieldKey> path = Wire.readPath(rr);
        int kind = rr.u8("remove target");
        Removal removal =
            switch (kind) {
              case 0 -> new Removal(ctx, path, Wire.readBytes(rr, "element"), null);
              case 1 -> new Removal(ctx, path, null, Wire.readField(rr));
              default -> throw new MalformedDataException("unknown remove target " + kind);
            };
        rr.expectEnd();
        if (!deferred.add(removal)) {
          throw new MalformedDataException("duplicate deferred remove");
        }
      }
      r.expectEnd();
      return new DtState(type, clock, value, deferred);
    } catch (MalformedDataException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("invalid data-type state: " + e.getMessage(), e);
    }
  }

  /** A context as clients hold it: opaque bytes. */
  public static byte[] encodeContext(VersionVector context) {
    ByteWriter w = new ByteWriter(32);
    w.u8(CONTEXT_FORMAT);
    Wire.vector(w, context);
    return w.toByteArray();
  }

  public static VersionVector decodeContext(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.u8("context format");
    if (format != CONTEXT_FORMAT) {
      throw new MalformedDataException("unknown data-type context format " + format);
    }
    try {
      VersionVector v = Wire.readVector(r);
      r.expectEnd();
      return v;
    } catch (MalformedDataException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("invalid data-type context: " + e.getMessage(), e);
    }
  }

  /** The shared pieces: version vectors, dots, field keys, paths. */
  static final class Wire {
    private Wire() {}

    static void vector(ByteWriter w, VersionVector v) {
      w.varLong(v.size());
      v.counters()
          .forEach(
              (actor, c) -> {
                w.string(actor);
                w.varLong(c);
              });
    }

    static VersionVector readVector(ByteReader r) {
      int n = r.count("clock entries");
      TreeMap<String, Long> m = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        String actor = r.string("clock actor");
        if (m.put(actor, r.varLong("clock counter")) != null) {
          throw new MalformedDataException("actor " + actor + " twice in a clock");
        }
      }
      return new VersionVector(m);
    }

    static void dot(ByteWriter w, Dot d) {
      w.string(d.actor());
      w.varLong(d.counter());
    }

    static Dot readDot(ByteReader r) {
      return new Dot(r.string("dot actor"), r.varLong("dot counter"));
    }

    static void field(ByteWriter w, FieldKey k) {
      bytes(w, k.name());
      w.u8(k.type().ordinal());
    }

    static FieldKey readField(ByteReader r) {
      DtBytes name = readBytes(r, "field name");
      int t = r.u8("field type");
      if (t >= FieldType.values().length || FieldType.values()[t] == FieldType.HLL) {
        throw new MalformedDataException("unknown map field type tag " + t);
      }
      return new FieldKey(name, FieldType.values()[t]);
    }

    /**
     * Data-type bytes (elements, register values, field names): length-prefixed, exactly as the
     * UTF-8 strings of earlier versions were written, so states stored then read back unchanged.
     */
    static void bytes(ByteWriter w, DtBytes b) {
      w.bytes(b.bytes());
    }

    static DtBytes readBytes(ByteReader r, String what) {
      return DtBytes.of(r.bytes(what));
    }

    static void path(ByteWriter w, List<FieldKey> path) {
      w.varLong(path.size());
      path.forEach(k -> field(w, k));
    }

    static List<FieldKey> readPath(ByteReader r) {
      int n = r.count("path length");
      if (n > MAX_DEPTH) {
        throw new MalformedDataException("path deeper than " + MAX_DEPTH);
      }
      List<FieldKey> path = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        path.add(readField(r));
      }
      return path;
    }
  }
}
