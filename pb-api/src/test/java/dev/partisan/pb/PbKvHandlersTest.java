package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetClientIdResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbSetClientIdReq;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketResp;
import dev.partisan.pb.proto.RiakMessages.RpbPair;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketReq;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV handlers over a real socket on a one-node store with RocksDB: the options Riak's clients
 * send (head, return_head, if_modified, deletedvclock, if_not_modified, charset, user metadata,
 * client ids) and the errors for bad values inside well-formed messages, after each of which the
 * connection goes on.
 */
class PbKvHandlersTest {
  @TempDir static Path dir;
  static OneNodeStore store;
  static KvNode node;
  static PbServer server;

  @BeforeAll
  static void start() {
    store = OneNodeStore.start(dir, b -> b.maxValueBytes(64 * 1024));
    node = store.node();
    server = store.server();
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static RpbPutReq.Builder put(String key, String value) {
    return RpbPutReq.newBuilder()
        .setBucket(utf8("b"))
        .setKey(utf8(key))
        .setContent(RpbContent.newBuilder().setValue(utf8(value)));
  }

  private static RpbGetReq.Builder get(String key) {
    return RpbGetReq.newBuilder().setBucket(utf8("b")).setKey(utf8(key));
  }

  private static RawPbClient.Frame call(RawPbClient c, int code, com.google.protobuf.MessageLite m)
      throws Exception {
    c.send(code, m);
    return c.read();
  }

  private static String error(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbErrorResp").isEqualTo(0);
    return RpbErrorResp.parseFrom(f.body()).getErrmsg().toStringUtf8();
  }

  private static RpbGetResp getResp(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbGetResp").isEqualTo(10);
    return RpbGetResp.parseFrom(f.body());
  }

  private static RpbPutResp putResp(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbPutResp").isEqualTo(12);
    return RpbPutResp.parseFrom(f.body());
  }

  @Test
  void metadataTravelsAndHeadLeavesTheValueOut() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      RpbPutReq req =
          put("meta", "héllo").setReturnHead(true).build().toBuilder()
              .setContent(
                  RpbContent.newBuilder()
                      .setValue(utf8("héllo"))
                      .setContentType(utf8("text/plain"))
                      .setCharset(utf8("utf-8"))
                      .addUsermeta(RpbPair.newBuilder().setKey(utf8("k")).setValue(utf8("v"))))
              .build();
      RpbPutResp head = putResp(call(c, 11, req));
      assertThat(head.getContentCount()).isEqualTo(1);
      assertThat(head.getContent(0).getValue()).isEmpty();
      assertThat(head.getContent(0).getContentType().toStringUtf8()).isEqualTo("text/plain");
      assertThat(head.hasVclock()).isTrue();

      RpbGetResp full = getResp(call(c, 9, get("meta").build()));
      RpbContent content = full.getContent(0);
      assertThat(content.getValue().toStringUtf8()).isEqualTo("héllo");
      assertThat(content.getContentType().toStringUtf8()).isEqualTo("text/plain");
      assertThat(content.getCharset().toStringUtf8()).isEqualTo("utf-8");
      assertThat(content.getUsermeta(0).getKey().toStringUtf8()).isEqualTo("k");
      assertThat(content.getUsermeta(0).getValue().toStringUtf8()).isEqualTo("v");
      assertThat(content.getVtag().toStringUtf8()).hasSize(22);
      assertThat(content.getLastMod()).isPositive();

      RpbGetResp headOnly = getResp(call(c, 9, get("meta").setHead(true).build()));
      assertThat(headOnly.getContent(0).getValue()).isEmpty();
      assertThat(headOnly.getContent(0).getVtag()).isEqualTo(content.getVtag());

      // if_modified with the current vclock: unchanged, no content.
      RpbGetResp same = getResp(call(c, 9, get("meta").setIfModified(full.getVclock()).build()));
      assertThat(same.getUnchanged()).isTrue();
      assertThat(same.getContentCount()).isZero();
    }
  }

  @Test
  void notFoundIsAnEmptyResponseAndDeletedVclockShowsTheTombstone() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      RpbGetResp missing = getResp(call(c, 9, get("never").build()));
      assertThat(missing.getContentCount()).isZero();
      assertThat(missing.hasVclock()).isFalse();

      putResp(call(c, 11, put("doomed", "x").build()));
      RawPbClient.Frame del =
          call(c, 13, RpbDelReq.newBuilder().setBucket(utf8("b")).setKey(utf8("doomed")).build());
      assertThat(del.code()).isEqualTo(14);
      RpbGetResp deleted = getResp(call(c, 9, get("doomed").setDeletedvclock(true).build()));
      assertThat(deleted.getContentCount()).isZero();
      assertThat(deleted.hasVclock()).isTrue();
    }
  }

  @Test
  void ifNotModifiedChecksTheVclock() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      assertThat(error(call(c, 11, put("inm-missing", "x").setIfNotModified(true).build())))
          .isEqualTo("notfound");
      ByteString first =
          putResp(call(c, 11, put("inm", "1").setReturnBody(true).build())).getVclock();
      ByteString second =
          putResp(call(c, 11, put("inm", "2").setVclock(first).setReturnBody(true).build()))
              .getVclock();
      assertThat(
              error(call(c, 11, put("inm", "3").setVclock(first).setIfNotModified(true).build())))
          .isEqualTo("modified");
      RpbPutResp ok =
          putResp(
              call(
                  c,
                  11,
                  put("inm", "3")
                      .setVclock(second)
                      .setIfNotModified(true)
                      .setReturnBody(true)
                      .build()));
      assertThat(ok.getContentCount()).isEqualTo(1);
      assertThat(ok.getContent(0).getValue().toStringUtf8()).isEqualTo("3");
    }
  }

  @Test
  void badValuesInWellFormedMessagesAreErrorsAndTheConnectionGoesOn() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      assertThat(error(call(c, 9, get("k").setR(-296).build()))).contains("invalid r");
      assertThat(error(call(c, 9, get("k").setTimeout(0).build()))).contains("invalid timeout");
      assertThat(error(call(c, 9, get("k").setNVal(0).build()))).contains("invalid n_val");
      assertThat(error(call(c, 9, get("k").setBucket(ByteString.EMPTY).build())))
          .contains("bucket must not be empty");
      assertThat(error(call(c, 11, put("k", "v").setVclock(utf8("garbage")).build())))
          .startsWith("malformed vclock");
      assertThat(error(call(c, 11, put("big", "x".repeat(64 * 1024 + 1)).build())))
          .startsWith("too_large");
      assertThat(error(setBucket(c, RpbBucketProps.newBuilder().setNVal(0)))).contains("n_val");
      assertThat(error(setBucket(c, RpbBucketProps.newBuilder().setDatatype(utf8("counter")))))
          .contains("'datatype'");
      c.send(RawPbClient.frame(1, new byte[0]));
      assertThat(c.read().code()).isEqualTo(2);
    }
  }

  private static RawPbClient.Frame setBucket(RawPbClient c, RpbBucketProps.Builder props)
      throws Exception {
    return call(c, 21, RpbSetBucketReq.newBuilder().setBucket(utf8("b2")).setProps(props).build());
  }

  @Test
  void bucketPropertiesUseRiaksQuorumEncoding() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      RawPbClient.Frame set =
          call(
              c,
              21,
              RpbSetBucketReq.newBuilder()
                  .setBucket(utf8("q"))
                  .setProps(RpbBucketProps.newBuilder().setR(-2).setW(-4).setDw(2))
                  .build());
      assertThat(set.code()).isEqualTo(22);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                RawPbClient.Frame f =
                    call(c, 19, RpbGetBucketReq.newBuilder().setBucket(utf8("q")).build());
                assertThat(f.code()).isEqualTo(20);
                RpbBucketProps p = RpbGetBucketResp.parseFrom(f.body()).getProps();
                assertThat(Integer.toUnsignedLong(p.getR())).isEqualTo(4294967294L); // one
                assertThat(Integer.toUnsignedLong(p.getW())).isEqualTo(4294967292L); // all
                assertThat(p.getDw()).isEqualTo(2);
                assertThat(Integer.toUnsignedLong(p.getPw())).isZero();
                assertThat(p.getNVal()).isEqualTo(3);
              });
    }
  }

  @Test
  void clientIdsAreKeptPerConnection() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      c.send(RawPbClient.frame(3, new byte[0]));
      RawPbClient.Frame first = c.read();
      assertThat(first.code()).isEqualTo(4);
      assertThat(RpbGetClientIdResp.parseFrom(first.body()).getClientId().size()).isEqualTo(4);
      assertThat(
              call(c, 5, RpbSetClientIdReq.newBuilder().setClientId(utf8("mine")).build()).code())
          .isEqualTo(6);
      c.send(RawPbClient.frame(3, new byte[0]));
      assertThat(RpbGetClientIdResp.parseFrom(c.read().body()).getClientId().toStringUtf8())
          .isEqualTo("mine");
    }
  }
}
