package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.kv.ServerHandlers;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysResp;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetServerInfoResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PB server's framing and its answers to bad input, over a real socket: every problem gets an
 * RpbErrorResp; the connection stays usable where the stream can be resynchronised and closes after
 * the error where it cannot; pipelined requests are answered in order. The handlers are test stubs
 * (ping and server info are the real ones), so only the server is under test.
 */
class PbFramingTest {
  private static final int MAX_FRAME = 4096;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger inService = new AtomicInteger();
  private final AtomicInteger maxInService = new AtomicInteger();
  private PbServer server;

  @BeforeEach
  void start() {
    PbDispatcher d = new PbDispatcher();
    new ServerHandlers("test@node").register(d);
    // A get that echoes its key as the value: keys starting with "now" answer at once (on the event
    // loop), "slow" ones after 200 ms, the others as soon as another thread gets to them, as the
    // store does.
    d.on(
        MessageCode.RPB_GET_REQ,
        RpbGetReq.parser(),
        Access.open(),
        (req, session) -> {
          maxInService.accumulateAndGet(inService.incrementAndGet(), Math::max);
          CompletableFuture<PbResponse> answer = new CompletableFuture<>();
          Runnable reply =
              () -> {
                inService.decrementAndGet();
                answer.complete(
                    PbResponse.of(
                        MessageCode.RPB_GET_RESP,
                        RpbGetResp.newBuilder()
                            .addContent(RpbContent.newBuilder().setValue(req.getKey()))
                            .build()));
              };
          String key = req.getKey().toStringUtf8();
          if (key.startsWith("now")) {
            reply.run();
          } else if (key.startsWith("slow")) {
            timer.schedule(reply, 200, TimeUnit.MILLISECONDS);
          } else {
            timer.execute(reply);
          }
          return answer;
        });
    // A streamed answer: three RpbListKeysResp frames given from another thread, the last with
    // done set, as list keys will stream them.
    d.onStream(
        MessageCode.RPB_LIST_KEYS_REQ,
        RpbListKeysReq.parser(),
        Access.open(),
        (req, session, out) ->
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 1; i <= 3; i++) {
                    out.accept(
                        PbResponse.of(
                            MessageCode.RPB_LIST_KEYS_RESP,
                            RpbListKeysResp.newBuilder()
                                .addKeys(req.getBucket().concat(ByteString.copyFromUtf8("-" + i)))
                                .setDone(i == 3)
                                .build()));
                  }
                },
                timer));
    server = PbServer.start(new PbSettings("127.0.0.1", 0, MAX_FRAME, 1), d, "test@node");
  }

  @AfterEach
  void stop() {
    server.close();
    timer.shutdownNow();
  }

  @Test
  void pingAndServerInfo() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      c.send(RawPbClient.frame(1, new byte[0]));
      RawPbClient.Frame pong = c.read();
      assertThat(pong.code()).isEqualTo(2);
      assertThat(pong.body()).isEmpty();

      c.send(RawPbClient.frame(7, new byte[0]));
      RawPbClient.Frame info = c.read();
      assertThat(info.code()).isEqualTo(8);
      RpbGetServerInfoResp resp = RpbGetServerInfoResp.parseFrom(info.body());
      assertThat(resp.getNode().toStringUtf8()).isEqualTo("test@node");
      assertThat(resp.getServerVersion().toStringUtf8()).startsWith("2.");
    }
  }

  @Test
  void malformedProtobufIsAnErrorAndTheConnectionGoesOn() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      // Field 1 as a length-delimited field claiming 100 bytes, with 2 present.
      c.send(RawPbClient.frame(9, new byte[] {0x0a, 100, 1, 2}));
      assertThat(error(c.read())).startsWith("malformed RpbGetReq (code 9)");
      // A well-formed message without its required key.
      c.send(9, RpbGetReq.newBuilder().setBucket(ByteString.copyFromUtf8("b")).buildPartial());
      assertThat(error(c.read())).startsWith("malformed RpbGetReq").contains("key");
      assertPings(c);
    }
  }

  @Test
  void unknownAndUnsupportedCodesAreErrors() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      c.send(RawPbClient.frame(77, new byte[] {1, 2, 3}));
      assertThat(error(c.read())).isEqualTo("unknown message code 77");
      c.send(RawPbClient.frame(23, new byte[0]));
      assertThat(error(c.read())).contains("RpbMapRedReq (code 23) is not supported");
      c.send(RawPbClient.frame(90, new byte[0]));
      assertThat(error(c.read())).contains("TsQueryReq (code 90) is not supported");
      c.send(RawPbClient.frame(255, new byte[0]));
      assertThat(error(c.read())).contains("Security not enabled");
      // A response code sent as a request.
      c.send(RawPbClient.frame(2, new byte[0]));
      assertThat(error(c.read())).contains("RpbPingResp (code 2) is not supported");
      assertPings(c);
    }
  }

  @Test
  void anEmptyFrameIsAnErrorAndTheConnectionGoesOn() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      c.send(new byte[] {0, 0, 0, 0});
      assertThat(error(c.read())).startsWith("empty frame");
      assertPings(c);
    }
  }

  @Test
  void anOversizedFrameIsAnErrorThenTheConnectionCloses() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      byte[] header = ByteBuffer.allocate(5).putInt(MAX_FRAME + 1).put((byte) 11).array();
      c.send(header);
      c.send(new byte[1000]); // part of the body: discarded
      assertThat(error(c.read()))
          .contains("frame of " + (MAX_FRAME + 1) + " bytes is over")
          .contains("closing the connection");
      assertThat(c.closedByServer()).isTrue();
    }
    // The server goes on serving others.
    try (RawPbClient c = new RawPbClient(server.port())) {
      assertPings(c);
    }
  }

  @Test
  void aFrameAtTheLimitIsServed() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      // Pad a ping to exactly the limit: Riak ignores a body on a body-less request.
      c.send(RawPbClient.frame(1, new byte[MAX_FRAME - 1]));
      assertThat(c.read().code()).isEqualTo(2);
    }
  }

  @Test
  void aFrameSplitAcrossWritesIsReassembled() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      byte[] f = RawPbClient.frame(9, get("split"));
      for (byte b : f) {
        c.send(new byte[] {b});
      }
      assertThat(value(c.read())).isEqualTo("split");
    }
  }

  @Test
  void aTruncatedFrameIsAnsweredWhenTheClientStopsSending() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      c.send(RawPbClient.frame(1, new byte[0])); // a whole ping first
      byte[] f = RawPbClient.frame(9, get("cut"));
      c.send(java.util.Arrays.copyOf(f, f.length - 3));
      c.shutdownOutput();
      assertThat(c.read().code()).isEqualTo(2);
      assertThat(error(c.read())).startsWith("truncated frame");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOneAtATime() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      List<String> keys = List.of("slow-1", "fast-2", "slow-3", "fast-4", "fast-5");
      for (String k : keys) {
        all.write(RawPbClient.frame(9, get(k)));
        all.write(RawPbClient.frame(1, new byte[0]));
      }
      c.send(all.toByteArray()); // one write: the server sees them all at once
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        answers.add(value(c.read()));
        assertThat(c.read().code()).isEqualTo(2);
      }
      assertThat(answers).containsExactlyElementsOf(keys);
      assertThat(maxInService.get()).isEqualTo(1);
    }
  }

  @Test
  void streamedAnswersAreNotInterleavedWithTheNextRequests() throws Exception {
    try (RawPbClient c = new RawPbClient(server.port())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (String bucket : List.of("a", "b")) {
        all.write(
            RawPbClient.frame(
                17,
                RpbListKeysReq.newBuilder().setBucket(ByteString.copyFromUtf8(bucket)).build()));
        all.write(RawPbClient.frame(1, new byte[0]));
      }
      c.send(all.toByteArray());
      for (String bucket : List.of("a", "b")) {
        for (int i = 1; i <= 3; i++) {
          RawPbClient.Frame f = c.read();
          assertThat(f.code()).isEqualTo(18);
          RpbListKeysResp keys = RpbListKeysResp.parseFrom(f.body());
          assertThat(keys.getKeys(0).toStringUtf8()).isEqualTo(bucket + "-" + i);
          assertThat(keys.getDone()).isEqualTo(i == 3);
        }
        assertThat(c.read().code()).isEqualTo(2);
      }
    }
  }

  @Test
  void aLongPipelineIsAnsweredInFull() throws Exception {
    int n = PbConnection.MAX_QUEUED * 8;
    try (RawPbClient c = new RawPbClient(server.port())) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // Answers given on the event loop and from another thread, mixed.
        keys.add(i % 3 == 0 ? "now-" + i : "k" + i);
        all.write(RawPbClient.frame(9, get(keys.get(i))));
      }
      // Written from another thread: the server pauses reading while its queue is full, so a
      // writer that never reads could block on a full socket buffer.
      Thread writer = Thread.ofVirtual().start(() -> sendQuietly(c, all.toByteArray()));
      for (int i = 0; i < n; i++) {
        assertThat(value(c.read())).isEqualTo(keys.get(i));
      }
      writer.join(10_000);
    }
  }

  private static void sendQuietly(RawPbClient c, byte[] bytes) {
    try {
      c.send(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RpbGetReq get(String key) {
    return RpbGetReq.newBuilder()
        .setBucket(ByteString.copyFromUtf8("b"))
        .setKey(ByteString.copyFromUtf8(key))
        .build();
  }

  private static void assertPings(RawPbClient c) throws Exception {
    c.send(RawPbClient.frame(1, new byte[0]));
    assertThat(c.read().code()).isEqualTo(2);
  }

  private static String error(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbErrorResp").isEqualTo(0);
    return RpbErrorResp.parseFrom(f.body()).getErrmsg().toStringUtf8();
  }

  private static String value(RawPbClient.Frame f) throws Exception {
    assertThat(f.code()).as("an RpbGetResp").isEqualTo(10);
    return RpbGetResp.parseFrom(f.body()).getContent(0).getValue().toStringUtf8();
  }
}
