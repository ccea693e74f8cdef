package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.dispatch.RequestTimer;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.wire.MessageCode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PB server's request timing ({@link RequestTimer}) against a real node (one-node RocksDB
 * store, PB on real TCP): each request that reaches the store is reported once with its operation,
 * outcome and a positive duration; a get of a missing key is ok; store errors and refusals carry
 * their kind; a stream is reported once after its last frame; ping and malformed requests are not
 * timed.
 */
class PbRequestTimingTest {
  record Timed(String op, String outcome, long nanos) {}

  @TempDir static Path dir;
  static final Queue<Timed> timed = new ConcurrentLinkedQueue<>();
  static OneNodeStore store;
  static PbClient client;

  @BeforeAll
  static void start() {
    store =
        OneNodeStore.startTimed(
            dir, (op, outcome, nanos) -> timed.add(new Timed(op, outcome, nanos)));
    client =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", store.server().port())),
            PbClientSettings.defaults().withEventLoopThreads(1));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void clear() {
    timed.clear();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static RpbGetReq get(String key) {
    return RpbGetReq.newBuilder().setBucket(utf8("t")).setKey(utf8(key)).build();
  }

  /** What was timed once {@code count} requests have been reported (the report may trail). */
  private static List<Timed> timedAfter(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> timed.size() >= count);
    return List.copyOf(timed);
  }

  @Test
  void getPutDeleteAreTimedWithTheirOutcome() throws Exception {
    client
        .put(
            0,
            RpbPutReq.newBuilder()
                .setBucket(utf8("t"))
                .setKey(utf8("k"))
                .setContent(RpbContent.newBuilder().setValue(utf8("v")))
                .build())
        .get(10, TimeUnit.SECONDS);
    assertThat(client.get(0, get("k")).get(10, TimeUnit.SECONDS).getContentCount()).isEqualTo(1);
    assertThat(client.get(0, get("missing")).get(10, TimeUnit.SECONDS).getContentCount()).isZero();
    client
        .delete(0, RpbDelReq.newBuilder().setBucket(utf8("t")).setKey(utf8("k")).build())
        .get(10, TimeUnit.SECONDS);
    client.ping(0).get(10, TimeUnit.SECONDS); // not a store request: not timed

    List<Timed> seen = timedAfter(4);
    assertThat(seen)
        .extracting(Timed::op, Timed::outcome)
        .containsExactly(
            tuple("put", "ok"), tuple("get", "ok"), tuple("get", "ok"), tuple("delete", "ok"));
    assertThat(seen).allSatisfy(t -> assertThat(t.nanos()).isPositive());
  }

  @Test
  void errorsAreTimedWithTheirKindAndMalformedRequestsAreNot() throws Exception {
    try (RawPbClient c = new RawPbClient(store.server().port())) {
      // A bucket type that does not exist: the store's error.
      c.send(9, get("k").toBuilder().setType(utf8("no-such-type")).build());
      assertThat(c.read().code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
      // A data type fetch from a bucket without a data type: the handler refuses it.
      c.send(
          80,
          DtFetchReq.newBuilder()
              .setBucket(utf8("t"))
              .setKey(utf8("k"))
              .setType(utf8("default"))
              .build());
      assertThat(c.read().code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
      // An RpbGetReq without its required key does not parse: refused before any handler.
      c.send(9, RpbGetReq.newBuilder().setBucket(utf8("t")).buildPartial());
      assertThat(c.read().code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
      c.send(RawPbClient.frame(1, new byte[0]));
      assertThat(c.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
    }
    assertThat(timedAfter(2))
        .extracting(Timed::op, Timed::outcome)
        .containsExactly(tuple("get", "bucket_type_unknown"), tuple("dt_fetch", "bad_request"));
  }

  @Test
  void aStreamIsTimedOnceAfterItsLastFrame() throws Exception {
    for (int i = 0; i < 20; i++) {
      client
          .put(
              0,
              RpbPutReq.newBuilder()
                  .setBucket(utf8("listed"))
                  .setKey(utf8("k" + i))
                  .setContent(RpbContent.newBuilder().setValue(utf8("v")))
                  .build())
          .get(10, TimeUnit.SECONDS);
    }
    timedAfter(20);
    timed.clear();
    try (RawPbClient c = new RawPbClient(store.server().port())) {
      c.send(17, RpbListKeysReq.newBuilder().setBucket(utf8("listed")).build());
      int keys = 0;
      while (true) {
        RawPbClient.Frame f = c.read();
        assertThat(f.code()).isEqualTo(MessageCode.RPB_LIST_KEYS_RESP.code());
        RpbListKeysResp page = RpbListKeysResp.parseFrom(f.body());
        keys += page.getKeysCount();
        if (page.getDone()) {
          break;
        }
      }
      assertThat(keys).isEqualTo(20);
      // The ping behind the stream is answered after the stream's timing was reported.
      c.send(RawPbClient.frame(1, new byte[0]));
      assertThat(c.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
    }
    assertThat(List.copyOf(timed))
        .extracting(Timed::op, Timed::outcome)
        .containsExactly(tuple("list_keys", "ok"));
  }
}
