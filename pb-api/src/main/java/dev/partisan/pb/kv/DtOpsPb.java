package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.datatype.DtBytes;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.kv.datatype.FieldType;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.proto.RiakDtMessages.MapField;
import dev.partisan.pb.proto.RiakDtMessages.MapOp;
import dev.partisan.pb.proto.RiakDtMessages.MapUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Riak's DtOp (riak_dt.proto) into the store's {@link DtOp}. Set elements, register values, hll
 * elements and map field names are bytes on the wire and {@link DtBytes} in the store: any bytes,
 * kept exactly as sent (as Riak does).
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
      return new DtOp.HllOp(bytes(op.getHllOp().getAddsList()));
    }
    if (op.hasGsetOp()) {
      throw new PbRequestException("gset is not supported (data types: counter, set, map, hll)");
    }
    return mapOp(op.getMapOp());
  }

  private static DtOp.SetOp setOp(dev.partisan.pb.proto.RiakDtMessages.SetOp op) {
    return new DtOp.SetOp(bytes(op.getAddsList()), bytes(op.getRemovesList()));
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
          case REGISTER -> u.hasRegisterOp() ? new DtOp.RegisterOp(bytes(u.getRegisterOp())) : null;
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
    return new FieldKey(bytes(f.getName()), type);
  }

  private static List<DtBytes> bytes(List<ByteString> values) {
    List<DtBytes> out = new ArrayList<>(values.size());
    for (ByteString v : values) {
      out.add(bytes(v));
    }
    return out;
  }

  private static DtBytes bytes(ByteString b) {
    return DtBytes.of(b.toByteArray());
  }
}
