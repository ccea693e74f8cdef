package dev.partisan.pb;

import static dev.partisan.pb.PbCoverageAndTypesTest.call;
import static dev.partisan.pb.PbCoverageAndTypesTest.error;
import static dev.partisan.pb.PbCoverageAndTypesTest.stillServes;
import static dev.partisan.pb.PbCoverageAndTypesTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.DataType;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.proto.RiakDtMessages.CounterOp;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchReq;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchResp;
import dev.partisan.pb.proto.RiakDtMessages.DtOp;
import dev.partisan.pb.proto.RiakDtMessages.DtUpdateReq;
import dev.partisan.pb.proto.RiakDtMessages.DtUpdateResp;
import dev.partisan.pb.proto.RiakDtMessages.HllOp;
import dev.partisan.pb.proto.RiakDtMessages.MapEntry;
import dev.partisan.pb.proto.RiakDtMessages.MapField;
import dev.partisan.pb.proto.RiakDtMessages.MapField.MapFieldType;
import dev.partisan.pb.proto.RiakDtMessages.MapOp;
import dev.partisan.pb.proto.RiakDtMessages.MapUpdate;
import dev.partisan.pb.proto.RiakDtMessages.SetOp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DtFetchReq and DtUpdateReq over a real socket on a one-node RocksDB store: values and contexts of
 * every type, include_context, return_body, server-named keys, hll, and the refusals (a plain
 * bucket, a wrong operation, an unknown map field type, a remove without context), after each of
 * which the connection goes on; and elements, register values and field names that are not UTF-8,
 * which are kept exactly.
 */
class PbDatatypeTest {
  @TempDir static Path dir;
  static OneNodeStore store;
  static KvNode node;
  static PbServer server;

  @BeforeAll
  static void start() {
    store = OneNodeStore.start(dir);
    node = store.node();
    server = store.server();
    for (DataType t : DataType.values()) {
      String name = t.riakName() + "s";
      node.bucketTypes().create(name, BucketProps.DEFAULTS.withDatatype(t));
      node.bucketTypes().activate(name).join();
    }
    node.bucketTypes().create("plain", BucketProps.DEFAULTS);
    node.bucketTypes().activate("plain").join();
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  private static DtUpdateReq.Builder update(String type, String key, DtOp.Builder op) {
    DtUpdateReq.Builder b =
        DtUpdateReq.newBuilder().setType(utf8(type)).setBucket(utf8("b")).setOp(op);
    return key == null ? b : b.setKey(utf8(key));
  }

  private static DtUpdateResp updated(RawPbClient c, DtUpdateReq req) throws Exception {
    RawPbClient.Frame f = call(c, 82, req);
    assertThat(f.code()).as("a DtUpdateResp").isEqualTo(83);
    return DtUpdateResp.parseFrom(f.body());
  }

  private static DtFetchResp fetch(RawPbClient c, String type, String key, boolean context)
      throws Exception {
    RawPbClient.Frame f =
        call(
            c,
            80,
            DtFetchReq.newBuilder()
                .setType(utf8(type))
                .setBucket(utf8("b"))
                .setKey(utf8(key))
                .setIncludeContext(context)
                .build());
    assertThat(f.code()).as("a DtFetchResp").isEqualTo(81);
    return DtFetchResp.parseFrom(f.body());
  }

  private static DtOp.Builder counter(long by) {
    return DtOp.newBuilder().setCounterOp(CounterOp.newBuilder().setIncrement(by));
  }

  private static DtOp.Builder set(SetOp.Builder op) {
    return DtOp.newBuilder().setSetOp(op);
  }

  private static MapField field(String name, MapFieldType type) {
    return MapField.newBuilder().setName(utf8(name)).setType(type).build();
  }

  @Test
  void counterWithReturnBodyAndServerNamedKey() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      DtFetchResp missing = fetch(c, "counters", "c1", true);
      assertThat(missing.getType()).isEqualTo(DtFetchResp.DataType.COUNTER);
      assertThat(missing.hasValue()).isFalse();
      assertThat(missing.hasContext()).isFalse();

      DtUpdateResp r = updated(c, update("counters", "c1", counter(5)).setReturnBody(true).build());
      assertThat(r.getCounterValue()).isEqualTo(5);
      assertThat(r.hasKey()).isFalse();
      assertThat(r.hasContext()).isTrue();
      assertThat(updated(c, update("counters", "c1", counter(-7)).build()).hasCounterValue())
          .isFalse();
      assertThat(fetch(c, "counters", "c1", true).getValue().getCounterValue()).isEqualTo(-2);

      DtUpdateResp named = updated(c, update("counters", null, counter(3)).build());
      assertThat(named.getKey().size()).isPositive();
      assertThat(
              fetch(c, "counters", named.getKey().toStringUtf8(), true)
                  .getValue()
                  .getCounterValue())
          .isEqualTo(3);
    }
  }

  @Test
  void setRemovesNeedTheContext() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      updated(
          c,
          update("sets", "s1", set(SetOp.newBuilder().addAdds(utf8("a")).addAdds(utf8("b"))))
              .build());
      DtFetchResp got = fetch(c, "sets", "s1", true);
      assertThat(got.getValue().getSetValueList()).containsExactly(utf8("a"), utf8("b"));
      assertThat(fetch(c, "sets", "s1", false).hasContext()).isFalse();

      DtUpdateReq remove =
          update("sets", "s1", set(SetOp.newBuilder().addRemoves(utf8("a")))).build();
      assertThat(error(call(c, 82, remove))).contains("context");
      DtUpdateResp after =
          updated(
              c,
              remove.toBuilder()
                  .setContext(got.getContext())
                  .setReturnBody(true)
                  .setIncludeContext(false)
                  .build());
      assertThat(after.getSetValueList()).containsExactly(utf8("b"));
      assertThat(after.hasContext()).isFalse();
    }
  }

  @Test
  void mapsNestAndReturnEveryFieldType() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      MapOp inner =
          MapOp.newBuilder()
              .addUpdates(
                  MapUpdate.newBuilder()
                      .setField(field("deep", MapFieldType.FLAG))
                      .setFlagOp(MapUpdate.FlagOp.ENABLE))
              .build();
      MapOp op =
          MapOp.newBuilder()
              .addUpdates(
                  MapUpdate.newBuilder()
                      .setField(field("n", MapFieldType.COUNTER))
                      .setCounterOp(CounterOp.newBuilder().setIncrement(2)))
              .addUpdates(
                  MapUpdate.newBuilder()
                      .setField(field("s", MapFieldType.SET))
                      .setSetOp(SetOp.newBuilder().addAdds(utf8("x"))))
              .addUpdates(
                  MapUpdate.newBuilder()
                      .setField(field("r", MapFieldType.REGISTER))
                      .setRegisterOp(utf8("héllo")))
              .addUpdates(
                  MapUpdate.newBuilder().setField(field("m", MapFieldType.MAP)).setMapOp(inner))
              .build();
      updated(c, update("maps", "m1", DtOp.newBuilder().setMapOp(op)).build());
      DtFetchResp got = fetch(c, "maps", "m1", true);
      assertThat(got.getType()).isEqualTo(DtFetchResp.DataType.MAP);
      assertThat(got.getValue().getMapValueList())
          .containsExactly(
              MapEntry.newBuilder()
                  .setField(field("m", MapFieldType.MAP))
                  .addMapValue(
                      MapEntry.newBuilder()
                          .setField(field("deep", MapFieldType.FLAG))
                          .setFlagValue(true))
                  .build(),
              MapEntry.newBuilder()
                  .setField(field("n", MapFieldType.COUNTER))
                  .setCounterValue(2)
                  .build(),
              MapEntry.newBuilder()
                  .setField(field("r", MapFieldType.REGISTER))
                  .setRegisterValue(utf8("héllo"))
                  .build(),
              MapEntry.newBuilder()
                  .setField(field("s", MapFieldType.SET))
                  .addSetValue(utf8("x"))
                  .build());

      DtUpdateResp removed =
          updated(
              c,
              update(
                      "maps",
                      "m1",
                      DtOp.newBuilder()
                          .setMapOp(
                              MapOp.newBuilder().addRemoves(field("n", MapFieldType.COUNTER))))
                  .setContext(got.getContext())
                  .setReturnBody(true)
                  .build());
      assertThat(removed.getMapValueList()).hasSize(3);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreKeptExactly() throws Exception {
    ByteString latin1 = ByteString.copyFrom(new byte[] {'c', 'a', 'f', (byte) 0xE9});
    ByteString binary = ByteString.copyFrom(new byte[] {(byte) 0xff, 0, (byte) 0x80});
    try (RawPbClient c = new RawPbClient(server.port())) {
      DtUpdateResp set =
          updated(
              c,
              update("sets", "bin", set(SetOp.newBuilder().addAdds(latin1).addAdds(utf8("caf"))))
                  .setReturnBody(true)
                  .build());
      // Unsigned byte order: "caf" < "caf\xe9".
      assertThat(set.getSetValueList()).containsExactly(utf8("caf"), latin1);
      DtFetchResp fetched = fetch(c, "sets", "bin", true);
      assertThat(fetched.getValue().getSetValueList()).containsExactly(utf8("caf"), latin1);
      updated(
          c,
          update("sets", "bin", set(SetOp.newBuilder().addRemoves(latin1)))
              .setContext(fetched.getContext())
              .build());
      assertThat(fetch(c, "sets", "bin", false).getValue().getSetValueList())
          .containsExactly(utf8("caf"));

      MapField binaryName =
          MapField.newBuilder().setName(binary).setType(MapFieldType.REGISTER).build();
      MapOp op =
          MapOp.newBuilder()
              .addUpdates(MapUpdate.newBuilder().setField(binaryName).setRegisterOp(latin1))
              .build();
      updated(c, update("maps", "bin", DtOp.newBuilder().setMapOp(op)).build());
      assertThat(fetch(c, "maps", "bin", false).getValue().getMapValueList())
          .containsExactly(
              MapEntry.newBuilder().setField(binaryName).setRegisterValue(latin1).build());
    }
  }

  @Test
  void hllCountsDistinctElements() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      DtOp.Builder op =
          DtOp.newBuilder()
              .setHllOp(
                  HllOp.newBuilder().addAdds(utf8("a")).addAdds(utf8("b")).addAdds(utf8("a")));
      updated(c, update("hlls", "h", op).build());
      DtFetchResp got = fetch(c, "hlls", "h", true);
      assertThat(got.getType()).isEqualTo(DtFetchResp.DataType.HLL);
      assertThat(got.getValue().getHllValue()).isEqualTo(2);
    }
  }

  @Test
  void badUpdatesAreErrorsAndTheConnectionGoesOn() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      assertThat(error(call(c, 82, update("plain", "k", counter(1)).build())))
          .contains("not a data-type bucket");
      assertThat(
              error(
                  call(
                      c,
                      80,
                      DtFetchReq.newBuilder()
                          .setType(utf8("plain"))
                          .setBucket(utf8("b"))
                          .setKey(utf8("k"))
                          .build())))
          .contains("not a data-type bucket");
      assertThat(
              error(
                  call(
                      c,
                      82,
                      update("counters", "k", set(SetOp.newBuilder().addAdds(utf8("x")))).build())))
          .contains("bucket holds counter data types, not set");
      assertThat(error(call(c, 82, update("nope", "k", counter(1)).build())))
          .startsWith("no_type:");
      assertThat(error(call(c, 82, update("counters", "k", DtOp.newBuilder()).build())))
          .contains("exactly one operation");
      // A map update without the operation its field type needs.
      DtOp.Builder noOp =
          DtOp.newBuilder()
              .setMapOp(
                  MapOp.newBuilder()
                      .addUpdates(
                          MapUpdate.newBuilder().setField(field("x", MapFieldType.COUNTER))));
      assertThat(error(call(c, 82, update("maps", "k", noOp).build())))
          .contains("counter operation");
      // An unknown map field type (9) on the wire: the required type is missing after parsing.
      byte[] unknownType =
          update(
                  "maps",
                  "k",
                  DtOp.newBuilder()
                      .setMapOp(MapOp.newBuilder().addRemoves(field("x", MapFieldType.FLAG))))
              .build()
              .toByteArray();
      byte[] patched = patchFieldType(unknownType);
      c.send(RawPbClient.frame(82, patched));
      assertThat(error(c.read())).startsWith("malformed DtUpdateReq");
      stillServes(c);
    }
  }

  /** The request with its one MapField type (FLAG = 4: bytes 0x10 0x04) changed to 9. */
  private static byte[] patchFieldType(byte[] req) {
    byte[] out = req.clone();
    for (int i = 0; i + 1 < out.length; i++) {
      if (out[i] == 0x10 && out[i + 1] == 0x04) {
        out[i + 1] = 0x09;
        return out;
      }
    }
    throw new AssertionError("no field type in the request");
  }
}
