package dev.partisan.kv.datatype;

import dev.partisan.kv.datatype.DtCodec.Wire;
import dev.partisan.kv.object.ByteReader;
import dev.partisan.kv.object.ByteWriter;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.VersionVector;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of an operation with its context, as the coordinator sends it to the coordinating
 * vnode (inside the put request, so it is forwarded and retried like any other write).
 */
public final class OpCodec {
  static final int FORMAT = 1;

  private OpCodec() {}

  /** An operation and the context the client sent with it (null: none). */
  public record DtUpdate(DtOp op, VersionVector context) {}

  public static byte[] encode(DtOp op, VersionVector context) {
    ByteWriter w = new ByteWriter(64);
    w.u8(FORMAT);
    op(w, op);
    if (context == null) {
      w.u8(0);
    } else {
      w.u8(1);
      Wire.vector(w, context);
    }
    return w.toByteArray();
  }

  public static DtUpdate decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.u8("operation format");
    if (format != FORMAT) {
      throw new MalformedDataException("unknown data-type operation format " + format);
    }
    try {
      DtOp op = readOp(r, 0);
      int hasContext = r.u8("context flag");
      VersionVector context =
          switch (hasContext) {
            case 0 -> null;
            case 1 -> Wire.readVector(r);
            default -> throw new MalformedDataException("bad context flag " + hasContext);
          };
      r.expectEnd();
      return new DtUpdate(op, context);
    } catch (MalformedDataException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("invalid data-type operation: " + e.getMessage(), e);
    }
  }

  private static void op(ByteWriter w, DtOp op) {
    w.u8(op.fieldType().ordinal());
    switch (op) {
      case DtOp.CounterOp c -> w.varLong(c.increment());
      case DtOp.SetOp s -> {
        elements(w, s.adds());
        elements(w, s.removes());
      }
      case DtOp.RegisterOp g -> Wire.bytes(w, g.value());
      case DtOp.FlagOp f -> w.u8(f.enable() ? 1 : 0);
      case DtOp.HllOp h -> elements(w, h.adds());
      case DtOp.MapOp m -> {
        w.varLong(m.removes().size());
        m.removes().forEach(k -> Wire.field(w, k));
        w.varLong(m.updates().size());
        for (DtOp.FieldUpdate u : m.updates()) {
          Wire.field(w, u.field());
          op(w, u.op());
        }
      }
    }
  }

  private static DtOp readOp(ByteReader r, int depth) {
    if (depth > DtCodec.MAX_DEPTH) {
      throw new MalformedDataException("map operations nested deeper than " + DtCodec.MAX_DEPTH);
    }
    int t = r.u8("operation type");
    if (t >= FieldType.values().length) {
      throw new MalformedDataException("unknown operation type tag " + t);
    }
    return switch (FieldType.values()[t]) {
      case COUNTER -> new DtOp.CounterOp(r.varLong("increment"));
      case SET -> new DtOp.SetOp(readElements(r), readElements(r));
      case REGISTER -> new DtOp.RegisterOp(Wire.readBytes(r, "register value"));
      case HLL -> new DtOp.HllOp(readElements(r));
      case FLAG -> {
        int b = r.u8("flag");
        if (b > 1) {
          throw new MalformedDataException("bad flag value " + b);
        }
        yield new DtOp.FlagOp(b == 1);
      }
      case MAP -> {
        int n = r.count("field removes");
        List<FieldKey> removes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          removes.add(Wire.readField(r));
        }
        int m = r.count("field updates");
        List<DtOp.FieldUpdate> updates = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
          updates.add(new DtOp.FieldUpdate(Wire.readField(r), readOp(r, depth + 1)));
        }
        yield new DtOp.MapOp(removes, updates);
      }
    };
  }

  private static void elements(ByteWriter w, List<DtBytes> values) {
    w.varLong(values.size());
    values.forEach(v -> Wire.bytes(w, v));
  }

  private static List<DtBytes> readElements(ByteReader r) {
    int n = r.count("elements");
    List<DtBytes> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Wire.readBytes(r, "element"));
    }
    return out;
  }
}
