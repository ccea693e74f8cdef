package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.kv.ServerHandlers;
import dev.partisan.pb.wire.MessageCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and oversized clients over real sockets (pb.frame_timeout_ms, pb.max_frame_bytes): each is
 * cut off alone, while the other clients of the same event loop are served, and a connection that
 * is merely idle between frames stays open.
 */
class PbSlowClientTest {
  private static final Duration FRAME_TIMEOUT = Duration.ofMillis(600);
  private static final int MAX_FRAME = 4096;

  private PbServer server;
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    PbDispatcher d = new PbDispatcher();
    new ServerHandlers("test@node").register(d);
    PbSettings settings =
        new PbSettings("127.0.0.1", 0, MAX_FRAME, 1)
            .withTimeouts(FRAME_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(1));
    server = PbServer.start(settings, d, "test@node");
  }

  @AfterEach
  void stop() {
    trickle.shutdownNow();
    server.close();
  }

  private static byte[] ping() {
    return RawPbClient.frame(MessageCode.RPB_PING_REQ.code(), new byte[0]);
  }

  private static void assertPing(RawPbClient c) throws IOException {
    c.send(ping());
    assertThat(c.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
  }

  @Test
  void aClientTricklingAFrameIsCutOffWhileOthersAreServedAndIdleOnesStay() throws Exception {
    try (RawPbClient idle = new RawPbClient(server.port());
        RawPbClient other = new RawPbClient(server.port());
        RawPbClient slow = new RawPbClient(server.port())) {
      assertPing(idle);
      // A get frame of 2000 bytes, one byte every 50 ms: it would take 100 s to complete.
      byte[] frame = RawPbClient.frame(MessageCode.RPB_GET_REQ.code(), new byte[1999]);
      AtomicInteger next = new AtomicInteger();
      long started = System.nanoTime();
      trickle.scheduleAtFixedRate(
          () -> {
            int i = next.getAndIncrement();
            try {
              slow.send(new byte[] {frame[i]});
            } catch (IOException closed) {
              throw new IllegalStateException("closed by the server"); // stops the trickle
            }
          },
          0,
          50,
          TimeUnit.MILLISECONDS);
      assertPing(other);
      assertThat(slow.closedByServer()).isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took).isGreaterThanOrEqualTo(FRAME_TIMEOUT).isLessThan(Duration.ofSeconds(10));
      assertThat(next.get()).isLessThan(frame.length);
      assertPing(other);
      // Idle between frames for longer than the frame timeout: still served.
      assertPing(idle);
    }
  }

  @Test
  void aClientThatStopsInsideTheLengthPrefixIsCutOff() throws Exception {
    try (RawPbClient slow = new RawPbClient(server.port());
        RawPbClient other = new RawPbClient(server.port())) {
      assertPing(slow);
      slow.send(new byte[] {0, 0}); // half a length prefix, then nothing
      assertPing(other);
      assertThat(slow.closedByServer()).isTrue();
      assertPing(other);
    }
  }

  @Test
  void anOversizedFrameClosesOnlyItsConnection() throws Exception {
    try (RawPbClient other = new RawPbClient(server.port());
        RawPbClient big = new RawPbClient(server.port())) {
      assertPing(other);
      big.send(ByteBuffer.allocate(5).putInt(MAX_FRAME + 1).put((byte) 1).array());
      RawPbClient.Frame error = big.read();
      assertThat(error.code()).isEqualTo(MessageCode.RPB_ERROR_RESP.code());
      assertThat(big.closedByServer()).isTrue();
      assertPing(other);
    }
  }
}
