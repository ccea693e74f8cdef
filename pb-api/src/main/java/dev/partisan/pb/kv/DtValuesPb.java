package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.partisan.kv.datatype.DtBytes;
import dev.partisan.kv.datatype.DtValue;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchResp;
import dev.partisan.pb.proto.RiakDtMessages.MapEntry;
import dev.partisan.pb.proto.RiakDtMessages.MapField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The store's {@link DtValue} as riak_dt.proto's values (DtValue, DtUpdateResp, MapEntry). */
final class DtValuesPb {
  private DtValuesPb() {}

  static DtFetchResp.DataType type(dev.partisan.kv.DataType t) {
    return switch (t) {
      case COUNTER -> DtFetchResp.DataType.COUNTER;
      case SET -> DtFetchResp.DataType.SET;
      case MAP -> DtFetchResp.DataType.MAP;
      case HLL -> DtFetchResp.DataType.HLL;
    };
  }

  static dev.partisan.pb.proto.RiakDtMessages.DtValue toPb(DtValue v) {
    var b = dev.partisan.pb.proto.RiakDtMessages.DtValue.newBuilder();
    switch (v.type()) {
      case COUNTER -> b.setCounterValue(v.counter());
      case SET -> b.addAllSetValue(elements(v.set()));
      case MAP -> b.addAllMapValue(entries(v.map()));
      case HLL -> b.setHllValue(v.hll());
    }
    return b.build();
  }

  static List<ByteString> elements(Set<DtBytes> set) {
    List<ByteString> out = new ArrayList<>(set.size());
    set.forEach(e -> out.add(bytes(e)));
    return out;
  }

  /**
   * The bytes as they are: no UTF-8 check, elements and names are any bytes. {@link
   * DtBytes#bytes()} is a fresh copy nobody else holds, so wrapping it needs no second copy.
   */
  private static ByteString bytes(DtBytes b) {
    return UnsafeByteOperations.unsafeWrap(b.bytes());
  }

  @SuppressWarnings("unchecked")
  static List<MapEntry> entries(Map<FieldKey, Object> map) {
    List<MapEntry> out = new ArrayList<>(map.size());
    for (Map.Entry<FieldKey, Object> e : map.entrySet()) {
      FieldKey f = e.getKey();
      MapEntry.Builder b = MapEntry.newBuilder().setField(field(f));
      Object v = e.getValue();
      switch (f.type()) {
        case COUNTER -> b.setCounterValue((Long) v);
        case SET -> b.addAllSetValue(elements((Set<DtBytes>) v));
        case REGISTER -> b.setRegisterValue(bytes((DtBytes) v));
        case FLAG -> b.setFlagValue((Boolean) v);
        case MAP -> b.addAllMapValue(entries((Map<FieldKey, Object>) v));
        case HLL -> throw new IllegalStateException("a hll cannot be a map field");
      }
      out.add(b.build());
    }
    return out;
  }

  private static MapField field(FieldKey f) {
    MapField.MapFieldType t =
        switch (f.type()) {
          case COUNTER -> MapField.MapFieldType.COUNTER;
          case SET -> MapField.MapFieldType.SET;
          case REGISTER -> MapField.MapFieldType.REGISTER;
          case FLAG -> MapField.MapFieldType.FLAG;
          case MAP -> MapField.MapFieldType.MAP;
          case HLL -> throw new IllegalStateException("a hll cannot be a map field");
        };
    return MapField.newBuilder().setName(bytes(f.name())).setType(t).build();
  }
}
