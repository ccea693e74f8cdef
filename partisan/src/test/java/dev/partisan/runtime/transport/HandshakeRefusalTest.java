package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.codec.Wire;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.transport.HandshakeException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refused handshake is reported with the same {@link Reason} by both ends, the reason crosses the
 * wire as a code, and a refusal is final: a probe does not try again.
 */
class HandshakeRefusalTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EventLoopGroup group;
  private final List<Transport> transports = new ArrayList<>();

  @BeforeEach
  void start() {
    group = NettyTransports.newGroup(2, "refusal-test");
  }

  @AfterEach
  void stop() {
    transports.forEach(Transport::close);
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Transport node(String name, String cluster, String secret) throws InterruptedException {
    Map<String, ChannelSpec> channels =
        Map.of(
            ChannelSpec.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            ChannelSpec.MEMBERSHIP,
            ChannelSpec.named(ChannelSpec.MEMBERSHIP));
    TransportSettings settings = TestTransportSettings.quick();
    TypeRegistry types = new TypeRegistry();
    TestMessages.register(types);
    Transport t =
        new Transport(
            new NodeId(name, "127.0.0.1", 0, System.nanoTime()),
            new Cluster(cluster, secret.getBytes(), channels),
            settings,
            types,
            new InboundSink() {
              @Override
              public void deliver(InboundMessage message) {}

              @Override
              public void peerActive(NodeId peer) {}
            },
            group,
            null,
            NettyTransports.detect());
    transports.add(t);
    t.bind("127.0.0.1", 0);
    return t;
  }

  private static Reason probeFailure(Transport from, int port) {
    CompletableFuture<NodeId> probe = from.probe("127.0.0.1", port);
    try {
      probe.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(HandshakeException.class);
      return ((HandshakeException) e.getCause()).reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the probe succeeded");
  }

  /** Both ends count exactly one failure for {@code reason}: reported on both sides, no retry. */
  private static void reportedOnceByBoth(Transport dialer, Transport acceptor, Reason reason) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dialer.handshakeFailures(reason)).as("dialer").isEqualTo(1);
              assertThat(acceptor.handshakeFailures(reason)).as("acceptor").isEqualTo(1);
            });
  }

  @Test
  void aWrongSecretIsAnAuthenticationFailureOnBothSides() throws Exception {
    Transport a = node("a", "c", "secret");
    Transport intruder = node("intruder", "c", "not-the-secret");
    assertThat(probeFailure(intruder, a.self().port())).isEqualTo(Reason.AUTHENTICATION_FAILED);
    reportedOnceByBoth(intruder, a, Reason.AUTHENTICATION_FAILED);
  }

  @Test
  void aWrongClusterIsReportedOnBothSides() throws Exception {
    Transport a = node("a", "c", "secret");
    Transport stranger = node("stranger", "other", "secret");
    assertThat(probeFailure(stranger, a.self().port())).isEqualTo(Reason.WRONG_CLUSTER);
    reportedOnceByBoth(stranger, a, Reason.WRONG_CLUSTER);
  }

  @Test
  void aDialThatReachesAnotherNodeIsAWrongPeerOnBothSides() throws Exception {
    Transport a = node("a", "c", "secret");
    Transport b = node("b", "c", "secret");
    // a believes "ghost" listens where b does.
    a.learn(new NodeId("ghost", "127.0.0.1", b.self().port(), 1));
    Envelope e = new Envelope("", "", 0, "echo", 0, null, true, new TestMessages.Echo("hi"));
    a.send("ghost", ChannelSpec.named(ChannelSpec.DEFAULT), e);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(a.handshakeFailures(Reason.WRONG_PEER)).as("dialer").isPositive();
              assertThat(b.handshakeFailures(Reason.WRONG_PEER)).as("acceptor").isPositive();
            });
    assertThat(a.connectionCount("ghost")).isZero();
  }

  @Test
  void anotherProtocolVersionIsRefusedWithItsCode() throws Exception {
    Transport a = node("a", "c", "secret");
    try (Socket raw = new Socket("127.0.0.1", a.self().port())) {
      raw.setSoTimeout((int) WAIT.toMillis());
      MessageFrames.Hello hello =
          new MessageFrames.Hello(
              TransportSettings.PROTOCOL_VERSION + 1,
              "c",
              new NodeId("future", "127.0.0.1", 1, 1),
              ChannelSpec.MEMBERSHIP,
              0,
              new byte[MessageFrames.NONCE_BYTES],
              "");
      write(raw.getOutputStream(), MessageFrames.hello(UnpooledByteBufAllocator.DEFAULT, hello));
      ByteBuf reply = readFrame(raw.getInputStream());
      assertThat(reply.readByte()).isEqualTo(MessageFrames.REJECT);
      assertThat(MessageFrames.readReject(reply)).isEqualTo(Reason.VERSION_MISMATCH);
    }
    await().atMost(WAIT).until(() -> a.handshakeFailures(Reason.VERSION_MISMATCH) == 1);
  }

  @Test
  void aRefusalFromThePeerIsFinal() throws Exception {
    Transport a = node("a", "c", "secret");
    try (FakeAcceptor peer = new FakeAcceptor(code -> Reason.VERSION_MISMATCH.code())) {
      assertThat(probeFailure(a, peer.port())).isEqualTo(Reason.VERSION_MISMATCH);
      assertThat(peer.connections.get()).as("attempts").isEqualTo(1);
      assertThat(a.handshakeFailures(Reason.VERSION_MISMATCH)).isEqualTo(1);
    }
  }

  @Test
  void anUnknownCodeIsUnknownAndTransient() throws Exception {
    Transport a = node("a", "c", "secret");
    Transport b = node("b", "c", "secret");
    try (FakeAcceptor peer = new FakeAcceptor(code -> 200)) {
      assertThat(probeFailure(a, peer.port())).isEqualTo(Reason.UNKNOWN);
      assertThat(peer.connections.get()).as("attempts: retried, not refused").isGreaterThan(1);
    }
    // The node carries on.
    assertThat(a.probe("127.0.0.1", b.self().port()).get().name()).isEqualTo("b");
  }

  @Test
  void reasonCodesAreStableAndDistinct() {
    assertThat(Reason.ofCode(-1)).isEqualTo(Reason.UNKNOWN);
    assertThat(Reason.ofCode(Integer.MAX_VALUE)).isEqualTo(Reason.UNKNOWN);
    for (Reason r : Reason.values()) {
      assertThat(Reason.ofCode(r.code())).isEqualTo(r);
      ByteBuf frame = MessageFrames.reject(UnpooledByteBufAllocator.DEFAULT, r);
      frame.skipBytes(4);
      assertThat(frame.readByte()).isEqualTo(MessageFrames.REJECT);
      assertThat(MessageFrames.readReject(frame)).isEqualTo(r);
    }
    assertThat(Reason.WRONG_CLUSTER.isRefusal()).isTrue();
    assertThat(Reason.DUPLICATE_CONNECTION.isRefusal()).isFalse();
  }

  private static void write(OutputStream out, ByteBuf frame) throws IOException {
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    frame.release();
    out.write(bytes);
    out.flush();
  }

  private static ByteBuf readFrame(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] body = new byte[data.readInt()];
    data.readFully(body);
    return Unpooled.wrappedBuffer(body);
  }

  /** A peer that answers every HELLO with a REJECT carrying the code it is given. */
  private static final class FakeAcceptor implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Thread thread;

    FakeAcceptor(IntUnaryOperator code) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try (Socket s = server.accept()) {
                        int n = connections.incrementAndGet();
                        readFrame(s.getInputStream()); // the dialer's HELLO
                        ByteBuf reject = Unpooled.buffer();
                        reject.writeInt(0).writeByte(MessageFrames.REJECT);
                        Wire.writeVarInt(reject, code.applyAsInt(n));
                        reject.setInt(0, reject.readableBytes() - 4);
                        write(s.getOutputStream(), reject);
                        s.getInputStream().read(); // until the dialer closes
                      } catch (IOException e) {
                        // closed
                      }
                    }
                  });
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(WAIT.toMillis());
    }
  }
}
