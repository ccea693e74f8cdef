package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbFrame;
import dev.partisan.pb.wire.PbFrameDecoder;
import dev.partisan.pb.wire.PbResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fuzzes what a PB client can send: the input is a byte stream as it arrives on a connection, split
 * by the real {@link PbFrameDecoder}, and every request frame is served by the real dispatcher and
 * handlers ({@link PbApi#dispatcher}) of one KV node on RocksDB, started once for the run. Whatever
 * the code and body, the client gets an answer: a response, or an RpbErrorResp that is a refusal
 * (malformed message, bad request, unsupported code), never an "internal error" (an unexpected
 * exception in a handler), and no answer takes more than 20 seconds. Every request body is
 * released. Corpus: src/test/resources/dev/partisan/pb/PbRequestFuzzTestInputs/stream.
 */
class PbRequestFuzzTest {
  private static final int MAX_FRAME_BYTES = 1024 * 1024;
  private static OneNodeStore store;
  private static PbDispatcher dispatcher;

  private static synchronized PbDispatcher dispatcher() {
    if (dispatcher == null) {
      try {
        Path dir = Files.createTempDirectory("pb-fuzz-store");
        store = OneNodeStore.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> store.close()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dispatcher = PbApi.dispatcher(store.node());
    }
    return dispatcher;
  }

  @FuzzTest(maxDuration = "")
  void stream(byte[] input) throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new PbFrameDecoder(MAX_FRAME_BYTES));
    // Not wrappedBuffer: for no bytes it gives the shared empty buffer, never released.
    ByteBuf bytes = Unpooled.buffer(input.length).writeBytes(input);
    channel.writeInbound(bytes);
    channel.finish(); // the client half-closed: a truncated frame is reported too
    PbSession session = new PbSession(new InetSocketAddress("127.0.0.1", 8087));
    for (Object o; (o = channel.readInbound()) != null; ) {
      if (o instanceof PbFrame.Request request) {
        List<PbResponse> streamed = new ArrayList<>();
        CompletableFuture<PbResponse> answer =
            dispatcher().dispatch(request.code(), request.body(), session, streamed::add);
        PbResponse last = answer.get(20, TimeUnit.SECONDS);
        streamed.forEach(PbRequestFuzzTest::noInternalError);
        if (last != null) {
          noInternalError(last);
        }
      }
    }
    // Request bodies are slices of the input: released, every one, only if the input is.
    assertThat(bytes.refCnt()).as("request bodies released").isZero();
  }

  private static void noInternalError(PbResponse response) {
    if (response.code() == MessageCode.RPB_ERROR_RESP) {
      String message = ((RpbErrorResp) response.body()).getErrmsg().toStringUtf8();
      assertThat(message).doesNotStartWith("internal error");
    }
  }
}
