package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.DataType;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexReq.IndexQueryType;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbListBucketsReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListBucketsResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps.RpbReplMode;
import dev.partisan.pb.proto.RiakMessages.RpbCommitHook;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketTypeReq;
import dev.partisan.pb.proto.RiakMessages.RpbModFun;
import dev.partisan.pb.proto.RiakMessages.RpbPair;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketTypeReq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round-2 messages over a real socket on a one-node RocksDB store, frame by frame: bucket types
 * and every RpbBucketProps field, objects with index entries, streamed list keys and list buckets
 * (with and without the stream flag), and 2i in both modes with continuations. Every bad request is
 * answered with an RpbErrorResp and the connection goes on.
 */
class PbCoverageAndTypesTest {
  @TempDir static Path dir;
  static OneNodeStore store;
  static KvNode node;
  static PbServer server;

  @BeforeAll
  static void start() {
    store = OneNodeStore.start(dir);
    node = store.node();
    server = store.server();
    node.bucketTypes().create("plain", BucketProps.DEFAULTS);
    node.bucketTypes().activate("plain").join();
    node.bucketTypes().create("counters", BucketProps.DEFAULTS.withDatatype(DataType.COUNTER));
    node.bucketTypes().activate("counters").join();
    node.bucketTypes().create("dormant", BucketProps.DEFAULTS);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static RawPbClient.Frame call(RawPbClient c, int code, MessageLite m) throws Exception {
    c.send(code, m);
    return c.read();
  }

  static String error(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbErrorResp").isEqualTo(0);
    return RpbErrorResp.parseFrom(f.body()).getErrmsg().toStringUtf8();
  }

  static void stillServes(RawPbClient c) throws Exception {
    c.send(RawPbClient.frame(1, new byte[0]));
    assertThat(c.read().code()).as("ping answered").isEqualTo(2);
  }

  private static RpbBucketProps getType(RawPbClient c, String type) throws Exception {
    RawPbClient.Frame f = call(c, 31, RpbGetBucketTypeReq.newBuilder().setType(utf8(type)).build());
    assertThat(f.code()).isEqualTo(20);
    return RpbGetBucketResp.parseFrom(f.body()).getProps();
  }

  private static RawPbClient.Frame setType(RawPbClient c, String type, RpbBucketProps.Builder p)
      throws Exception {
    return call(c, 32, RpbSetBucketTypeReq.newBuilder().setType(utf8(type)).setProps(p).build());
  }

  private static RpbModFun modFun(String m, String f) {
    return RpbModFun.newBuilder().setModule(utf8(m)).setFunction(utf8(f)).build();
  }

  @Test
  void bucketTypePropertiesEveryFieldBothWays() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      RpbBucketProps before = getType(c, "plain");
      assertThat(before.getNVal()).isEqualTo(3);
      assertThat(before.getChashKeyfun().getFunction().toStringUtf8())
          .isEqualTo("chash_std_keyfun");
      assertThat(before.getHllPrecision()).isEqualTo(14);
      assertThat(before.hasRepl()).isFalse();

      RawPbClient.Frame set =
          setType(
              c,
              "plain",
              RpbBucketProps.newBuilder()
                  .setNVal(2)
                  .setAllowMult(false)
                  .setLastWriteWins(true)
                  .setR(1)
                  .setW(2)
                  .setPr(1)
                  .setPw(1)
                  .setDw(1)
                  .setRw(-2) // one
                  .setBasicQuorum(true)
                  .setNotfoundOk(false)
                  .setChashKeyfun(modFun("my_mod", "my_keyfun"))
                  .setLinkfun(modFun("my_mod", "my_linkfun"))
                  .setOldVclock(1)
                  .setYoungVclock(2)
                  .setBigVclock(3)
                  .setSmallVclock(4)
                  .setBackend(utf8("leveldb_mult"))
                  .setSearch(true)
                  .setSearchIndex(utf8("idx"))
                  .setRepl(RpbReplMode.FULLSYNC)
                  .setHllPrecision(12));
      assertThat(set.code()).isEqualTo(22);
      RpbBucketProps p = getType(c, "plain");
      assertThat(p.getNVal()).isEqualTo(2);
      assertThat(p.getAllowMult()).isFalse();
      assertThat(p.getLastWriteWins()).isTrue();
      assertThat(p.getR()).isEqualTo(1);
      assertThat(p.getW()).isEqualTo(2);
      assertThat(p.getPr()).isEqualTo(1);
      assertThat(p.getPw()).isEqualTo(1);
      assertThat(p.getDw()).isEqualTo(1);
      assertThat(Integer.toUnsignedLong(p.getRw())).isEqualTo(4294967294L);
      assertThat(p.getBasicQuorum()).isTrue();
      assertThat(p.getNotfoundOk()).isFalse();
      assertThat(p.getChashKeyfun()).isEqualTo(modFun("my_mod", "my_keyfun"));
      assertThat(p.getLinkfun()).isEqualTo(modFun("my_mod", "my_linkfun"));
      assertThat(
              List.of(p.getOldVclock(), p.getYoungVclock(), p.getBigVclock(), p.getSmallVclock()))
          .containsExactly(1, 2, 3, 4);
      assertThat(p.getBackend().toStringUtf8()).isEqualTo("leveldb_mult");
      assertThat(p.getSearch()).isTrue();
      assertThat(p.getSearchIndex().toStringUtf8()).isEqualTo("idx");
      assertThat(p.getRepl()).isEqualTo(RpbReplMode.FULLSYNC);
      assertThat(p.getHllPrecision()).isEqualTo(12);
      assertThat(p.getHasPrecommit()).isFalse();
      assertThat(p.getConsistent()).isFalse();
      assertThat(p.hasDatatype()).isFalse();
      // A bucket of the type without properties of its own has the type's.
      RawPbClient.Frame bucket =
          call(
              c,
              19,
              dev.partisan.pb.proto.RiakMessages.RpbGetBucketReq.newBuilder()
                  .setType(utf8("plain"))
                  .setBucket(utf8("any"))
                  .build());
      assertThat(RpbGetBucketResp.parseFrom(bucket.body()).getProps().getNVal()).isEqualTo(2);
    }
  }

  @Test
  void bucketTypeRefusalsNameTheProblem() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      assertThat(error(call(c, 31, RpbGetBucketTypeReq.newBuilder().setType(utf8("nope")).build())))
          .startsWith("no_type:")
          .contains("nope");
      assertThat(
              error(call(c, 31, RpbGetBucketTypeReq.newBuilder().setType(utf8("dormant")).build())))
          .startsWith("no_type:")
          .contains("not activated");
      assertThat(
              error(setType(c, "counters", RpbBucketProps.newBuilder().setDatatype(utf8("set")))))
          .contains("'datatype'");
      assertThat(error(setType(c, "plain", RpbBucketProps.newBuilder().setConsistent(true))))
          .contains("'consistent'");
      assertThat(error(setType(c, "plain", RpbBucketProps.newBuilder().setWriteOnce(true))))
          .contains("'write_once'");
      assertThat(
              error(
                  setType(
                      c,
                      "plain",
                      RpbBucketProps.newBuilder()
                          .addPrecommit(
                              RpbCommitHook.newBuilder().setName(utf8("validate")).build()))))
          .contains("'precommit'");
      assertThat(error(setType(c, "plain", RpbBucketProps.newBuilder().setHllPrecision(40))))
          .contains("hll_precision");
      assertThat(error(setType(c, "default", RpbBucketProps.newBuilder().setNVal(2))))
          .contains("default");
      assertThat(error(setType(c, "nope", RpbBucketProps.newBuilder().setNVal(2))))
          .startsWith("no_type:");
      stillServes(c);
    }
  }

  private static void putIndexed(RawPbClient c, String bucket, String key, String... pairs)
      throws Exception {
    RpbContent.Builder content = RpbContent.newBuilder().setValue(utf8("v-" + key));
    for (int i = 0; i < pairs.length; i += 2) {
      content.addIndexes(
          RpbPair.newBuilder().setKey(utf8(pairs[i])).setValue(utf8(pairs[i + 1])).build());
    }
    RawPbClient.Frame f =
        call(
            c,
            11,
            RpbPutReq.newBuilder()
                .setBucket(utf8(bucket))
                .setKey(utf8(key))
                .setContent(content)
                .build());
    assertThat(f.code()).as("put " + key).isEqualTo(12);
  }

  @Test
  void indexEntriesTravelWithObjects() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      putIndexed(c, "ix-obj", "k", "tag_bin", "blue", "n_int", "007", "tag_bin", "red");
      RawPbClient.Frame f =
          call(c, 9, RpbGetReq.newBuilder().setBucket(utf8("ix-obj")).setKey(utf8("k")).build());
      RpbContent content = RpbGetResp.parseFrom(f.body()).getContent(0);
      List<String> entries = new ArrayList<>();
      content
          .getIndexesList()
          .forEach(p -> entries.add(p.getKey().toStringUtf8() + "=" + p.getValue().toStringUtf8()));
      assertThat(entries).containsExactly("n_int=7", "tag_bin=blue", "tag_bin=red");

      RpbPutReq bad =
          RpbPutReq.newBuilder()
              .setBucket(utf8("ix-obj"))
              .setKey(utf8("bad"))
              .setContent(
                  RpbContent.newBuilder()
                      .setValue(utf8("x"))
                      .addIndexes(RpbPair.newBuilder().setKey(utf8("tag")).setValue(utf8("x"))))
              .build();
      assertThat(error(call(c, 11, bad))).contains("_bin or _int");
      RpbPutReq notInt =
          bad.toBuilder()
              .setContent(
                  RpbContent.newBuilder()
                      .setValue(utf8("x"))
                      .addIndexes(RpbPair.newBuilder().setKey(utf8("n_int")).setValue(utf8("ten"))))
              .build();
      assertThat(error(call(c, 11, notInt))).contains("not an integer");
      stillServes(c);
    }
  }

  /** Reads frames of {@code code} until one has done set; fails on anything else. */
  private static List<RawPbClient.Frame> stream(RawPbClient c, int code, MessageLite req)
      throws Exception {
    c.send(code - 1, req);
    List<RawPbClient.Frame> frames = new ArrayList<>();
    while (true) {
      RawPbClient.Frame f = c.read();
      assertThat(f.code()).as("a streamed frame").isEqualTo(code);
      frames.add(f);
      boolean done =
          switch (code) {
            case 16 -> RpbListBucketsResp.parseFrom(f.body()).getDone();
            case 18 -> RpbListKeysResp.parseFrom(f.body()).getDone();
            default -> RpbIndexResp.parseFrom(f.body()).getDone();
          };
      if (done) {
        return frames;
      }
    }
  }

  @Test
  void listKeysStreamsPagesAndEndsWithDone() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      for (int i = 0; i < 1500; i++) {
        putIndexed(c, "lk", "key" + i);
      }
      List<RawPbClient.Frame> frames =
          stream(c, 18, RpbListKeysReq.newBuilder().setBucket(utf8("lk")).build());
      List<String> keys = new ArrayList<>();
      for (RawPbClient.Frame f : frames) {
        RpbListKeysResp r = RpbListKeysResp.parseFrom(f.body());
        assertThat(r.getKeysCount()).isLessThanOrEqualTo(1000);
        r.getKeysList().forEach(k -> keys.add(k.toStringUtf8()));
      }
      assertThat(frames.size()).isGreaterThan(2);
      assertThat(keys).hasSize(1500).doesNotHaveDuplicates().contains("key0", "key1499");
      // An empty bucket: the done frame alone.
      assertThat(stream(c, 18, RpbListKeysReq.newBuilder().setBucket(utf8("empty")).build()))
          .hasSize(1);
      assertThat(
              error(
                  call(
                      c,
                      17,
                      RpbListKeysReq.newBuilder().setBucket(utf8("lk")).setTimeout(0).build())))
          .contains("invalid timeout");
      assertThat(
              error(
                  call(
                      c,
                      17,
                      RpbListKeysReq.newBuilder()
                          .setBucket(utf8("lk"))
                          .setType(utf8("nope"))
                          .build())))
          .startsWith("no_type:");
      stillServes(c);
    }
  }

  @Test
  void listBucketsStreamedOrWhole() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      putIndexed(c, "lb-one", "k");
      putIndexed(c, "lb-two", "k");
      RawPbClient.Frame whole = call(c, 15, RpbListBucketsReq.newBuilder().build());
      assertThat(whole.code()).isEqualTo(16);
      RpbListBucketsResp r = RpbListBucketsResp.parseFrom(whole.body());
      List<String> names = new ArrayList<>();
      r.getBucketsList().forEach(b -> names.add(b.toStringUtf8()));
      assertThat(names).contains("lb-one", "lb-two").doesNotHaveDuplicates();
      assertThat(r.hasDone()).isFalse();

      List<String> streamed = new ArrayList<>();
      for (RawPbClient.Frame f :
          stream(c, 16, RpbListBucketsReq.newBuilder().setStream(true).build())) {
        RpbListBucketsResp.parseFrom(f.body())
            .getBucketsList()
            .forEach(b -> streamed.add(b.toStringUtf8()));
      }
      assertThat(streamed).containsExactlyInAnyOrderElementsOf(names);

      // A typed bucket is listed under its type only.
      RawPbClient.Frame typedPut =
          call(
              c,
              11,
              RpbPutReq.newBuilder()
                  .setType(utf8("plain"))
                  .setBucket(utf8("lb-typed"))
                  .setKey(utf8("k"))
                  .setContent(RpbContent.newBuilder().setValue(utf8("x")))
                  .build());
      assertThat(typedPut.code()).isEqualTo(12);
      RpbListBucketsResp typed =
          RpbListBucketsResp.parseFrom(
              call(c, 15, RpbListBucketsReq.newBuilder().setType(utf8("plain")).build()).body());
      assertThat(typed.getBucketsList()).containsExactly(utf8("lb-typed"));
      assertThat(
              error(call(c, 15, RpbListBucketsReq.newBuilder().setType(utf8("dormant")).build())))
          .startsWith("no_type:");
      stillServes(c);
    }
  }

  private static RpbIndexReq.Builder range(String field, String lo, String hi) {
    return RpbIndexReq.newBuilder()
        .setBucket(utf8("ix"))
        .setIndex(utf8(field))
        .setQtype(IndexQueryType.range)
        .setRangeMin(utf8(lo))
        .setRangeMax(utf8(hi));
  }

  private static RpbIndexResp index(RawPbClient c, RpbIndexReq req) throws Exception {
    RawPbClient.Frame f = call(c, 25, req);
    assertThat(f.code()).as("an RpbIndexResp").isEqualTo(26);
    return RpbIndexResp.parseFrom(f.body());
  }

  @Test
  void indexQueriesWholeStreamedAndPaged() throws Exception {
    String huge = "1" + "0".repeat(30); // far beyond 64 bits
    try (RawPbClient c = new RawPbClient(server.port())) {
      for (int i = 0; i < 6; i++) {
        putIndexed(c, "ix", "k" + i, "color_bin", i % 2 == 0 ? "red" : "blue", "n_int", huge + i);
      }
      RpbIndexResp exact =
          index(
              c,
              RpbIndexReq.newBuilder()
                  .setBucket(utf8("ix"))
                  .setIndex(utf8("color_bin"))
                  .setQtype(IndexQueryType.eq)
                  .setKey(utf8("red"))
                  .build());
      assertThat(exact.getKeysList()).containsExactly(utf8("k0"), utf8("k2"), utf8("k4"));
      assertThat(exact.hasContinuation()).isFalse();

      RpbIndexResp terms =
          index(c, range("n_int", huge + 1, huge + 2).setReturnTerms(true).build());
      assertThat(terms.getResultsList())
          .containsExactly(
              RpbPair.newBuilder().setKey(utf8(huge + 1)).setValue(utf8("k1")).build(),
              RpbPair.newBuilder().setKey(utf8(huge + 2)).setValue(utf8("k2")).build());

      RpbIndexResp keyRange = index(c, range("$key", "k1", "k3").build());
      assertThat(keyRange.getKeysList()).containsExactly(utf8("k1"), utf8("k2"), utf8("k3"));
      RpbIndexResp all =
          index(
              c,
              RpbIndexReq.newBuilder()
                  .setBucket(utf8("ix"))
                  .setIndex(utf8("$bucket"))
                  .setQtype(IndexQueryType.eq)
                  .setKey(utf8("ix"))
                  .build());
      assertThat(all.getKeysCount()).isEqualTo(6);

      // Paged: max_results 4 then the continuation.
      RpbIndexResp page1 = index(c, range("color_bin", "a", "z").setMaxResults(4).build());
      assertThat(page1.getKeysList())
          .containsExactly(utf8("k1"), utf8("k3"), utf8("k5"), utf8("k0"));
      assertThat(page1.hasContinuation()).isTrue();
      RpbIndexResp page2 =
          index(
              c,
              range("color_bin", "a", "z")
                  .setMaxResults(4)
                  .setContinuation(page1.getContinuation())
                  .build());
      assertThat(page2.getKeysList()).containsExactly(utf8("k2"), utf8("k4"));
      assertThat(page2.hasContinuation()).isFalse();

      // Streamed: keys in frames, then done with the continuation.
      List<RawPbClient.Frame> frames =
          stream(c, 26, range("color_bin", "a", "z").setStream(true).setMaxResults(4).build());
      List<ByteString> streamed = new ArrayList<>();
      for (RawPbClient.Frame f : frames) {
        streamed.addAll(RpbIndexResp.parseFrom(f.body()).getKeysList());
      }
      assertThat(streamed).containsExactlyElementsOf(page1.getKeysList());
      RpbIndexResp last = RpbIndexResp.parseFrom(frames.get(frames.size() - 1).body());
      assertThat(last.getContinuation()).isEqualTo(page1.getContinuation());

      assertThat(error(call(c, 25, range("color", "a", "z").build()))).contains("_bin or _int");
      assertThat(error(call(c, 25, range("n_int", "x", "y").build()))).contains("not an integer");
      assertThat(error(call(c, 25, range("color_bin", "a", "z").setTermRegex(utf8(".*")).build())))
          .contains("term_regex");
      assertThat(
              error(call(c, 25, range("color_bin", "a", "z").setContinuation(utf8("??")).build())))
          .contains("continuation");
      assertThat(
              error(
                  call(
                      c,
                      25,
                      RpbIndexReq.newBuilder()
                          .setBucket(utf8("ix"))
                          .setIndex(utf8("color_bin"))
                          .setQtype(IndexQueryType.eq)
                          .build())))
          .contains("needs a key");
      stillServes(c);
    }
  }
}
