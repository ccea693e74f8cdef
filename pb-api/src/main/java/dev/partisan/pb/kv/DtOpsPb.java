package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.kv.datatype.FieldType;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.proto.RiakDtMessages.MapField;
import dev.partisan.pb.proto.RiakDtMessages.MapOp;
import dev.partisan.pb.proto.RiakDtMessages.MapUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Riak's DtOp (riak_dt.proto) into the store's {@link DtOp}. Set elements, register values, hll
 * elements and map field names are bytes on the wire and Java strings in the store: they must be
 * valid UTF-8, and bytes that are not are refused with an error naming the field, never altered.
 */
final class DtOpsPb {
  private DtOpsPb() {}

  /** The request's one operation; anything else (none, several, gset) is refused. */
  static DtOp fromPb(dev.partisan.pb.proto.RiakDtMessages.DtOp op) {
    int given =
        (op.hasCounterOp() ? 1 : 0)
            + (op.hasSetOp() ? 1 : 0)
            + (op.hasMapOp() ? 1 : 0)
            + (op.hasHllOp() ? 1 : 0)
            + (op.hasGsetOp() ? 1 : 0);
    if (given != 1) {
      throw new PbRequestException(
          "bad request: a DtOp must hold exactly one operation, it holds " + given);
    }
    if (op.hasCounterOp()) {
      return new DtOp.CounterOp(op.getCounterOp().getIncrement());
    }
    if (op.hasSetOp()) {
      return setOp(op.getSetOp());
    }
    if (op.hasHllOp()) {
      return new DtOp.HllOp(texts("hll element", op.getHllOp().getAddsList()));
    }
    if (op.hasGsetOp()) {
      throw new PbRequestException("gset is not supported (data types: counter, set, map, hll)");
    }
    return mapOp(op.getMapOp());
  }

  private static DtOp.SetOp setOp(dev.partisan.pb.proto.RiakDtMessages.SetOp op) {
    return new DtOp.SetOp(
        texts("set element", op.getAddsList()), texts("set element", op.getRemovesList()));
  }

  private static DtOp.MapOp mapOp(MapOp op) {
    List<FieldKey> removes = new ArrayList<>();
    for (MapField f : op.getRemovesList()) {
      removes.add(field(f));
    }
    List<DtOp.FieldUpdate> updates = new ArrayList<>();
    for (MapUpdate u : op.getUpdatesList()) {
      FieldKey field = field(u.getField());
      updates.add(new DtOp.FieldUpdate(field, fieldOp(field, u)));
    }
    return new DtOp.MapOp(removes, updates);
  }

  /** The operation a map update holds for its field's type; a missing one is refused. */
  private static DtOp fieldOp(FieldKey field, MapUpdate u) {
    DtOp op =
        switch (field.type()) {
          case COUNTER ->
              u.hasCounterOp() ? new DtOp.CounterOp(u.getCounterOp().getIncrement()) : null;
          case SET -> u.hasSetOp() ? setOp(u.getSetOp()) : null;
          case REGISTER ->
              u.hasRegisterOp()
                  ? new DtOp.RegisterOp(text("register value", u.getRegisterOp()))
                  : null;
          case FLAG ->
              u.hasFlagOp() ? new DtOp.FlagOp(u.getFlagOp() == MapUpdate.FlagOp.ENABLE) : null;
          case MAP -> u.hasMapOp() ? mapOp(u.getMapOp()) : null;
          case HLL -> null;
        };
    if (op == null) {
      throw new PbRequestException(
          "bad request: the update of map field '"
              + field.suffixed()
              + "' has no "
              + field.type().riakName()
              + " operation");
    }
    return op;
  }

  static FieldKey field(MapField f) {
    FieldType type =
        switch (f.getType()) {
          case COUNTER -> FieldType.COUNTER;
          case SET -> FieldType.SET;
          case REGISTER -> FieldType.REGISTER;
          case FLAG -> FieldType.FLAG;
          case MAP -> FieldType.MAP;
        };
    return new FieldKey(text("map field name", f.getName()), type);
  }

  private static List<String> texts(String what, List<ByteString> values) {
    List<String> out = new ArrayList<>(values.size());
    for (ByteString v : values) {
      out.add(text(what, v));
    }
    return out;
  }

  /** Strict UTF-8: the store keeps strings, so other bytes are refused rather than replaced. */
  static String text(String what, ByteString bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PbRequestException(
          "bad request: "
              + what
              + " is not valid UTF-8 (this server keeps data-type elements as text)");
    }
  }
}
