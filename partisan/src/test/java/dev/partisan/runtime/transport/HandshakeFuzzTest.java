package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.transport.HandshakeException.Reason;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fuzzes the handshake: a peer that does not know the cluster secret sends arbitrary handshake
 * frames to an acceptor, or answers a dialer with them (the first input byte picks the role; the
 * rest is frames, each a 2-byte length and its bytes). Every such peer is refused cleanly: the
 * connection never reaches the link table, a refusal or failure closes it, no reason other than the
 * handshake's own is reported (an {@code IO_ERROR} here would be an exception escaping a reader),
 * and every buffer is released. Corpus: src/test/resources/dev/partisan/runtime/transport/
 * HandshakeFuzzTestInputs/peer.
 */
class HandshakeFuzzTest {
  static final String CLUSTER = "fuzz";
  private static final EventLoopGroup GROUP = NettyTransports.newGroup(1, "handshake-fuzz");
  static final Transport TRANSPORT = transport();

  private static Transport transport() {
    Map<String, ChannelSpec> channels =
        Map.of(
            ChannelSpec.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            ChannelSpec.MEMBERSHIP,
            ChannelSpec.named(ChannelSpec.MEMBERSHIP));
    TypeRegistry types = new TypeRegistry();
    TestMessages.register(types);
    return new Transport(
        new NodeId("fuzz1", "127.0.0.1", 7001, 1),
        new Cluster(CLUSTER, "a secret the peer lacks".getBytes(StandardCharsets.UTF_8), channels),
        TestTransportSettings.quick(),
        types,
        new InboundSink() {
          @Override
          public void deliver(InboundMessage message) {
            throw new AssertionError("no message may pass an unauthenticated handshake");
          }

          @Override
          public void peerActive(NodeId peer) {}
        },
        GROUP,
        null,
        NettyTransports.detect());
  }

  @FuzzTest(maxDuration = "")
  void peer(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean dialer = (input[0] & 1) != 0;
    Map<Reason, Long> before = failures();
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel
        .pipeline()
        .addLast(
            "handshake",
            dialer
                ? HandshakeHandler.dialer(
                    TRANSPORT, ChannelSpec.DEFAULT, 0, "", new CompletableFuture<>())
                : HandshakeHandler.acceptor(TRANSPORT));
    boolean peerSentReject = false;
    for (int at = 1; at + 2 <= input.length && channel.isOpen(); ) {
      int n = Math.min(((input[at] & 0xFF) << 8) | (input[at + 1] & 0xFF), input.length - at - 2);
      peerSentReject |= n > 0 && input[at + 2] == MessageFrames.REJECT;
      channel.writeInbound(alloc.heapBuffer(n).writeBytes(input, at + 2, n));
      at += 2 + n;
    }
    boolean refused = !failures().equals(before);
    boolean openAfterFrames = channel.isOpen();
    assertThat(channel.pipeline().get(ConnectionHandler.class)).as("admitted").isNull();
    channel.checkException();
    channel.finishAndReleaseAll();
    Map<Reason, Long> after = failures();
    // A peer's REJECT is reported with the reason it names, which may be IO_ERROR: only a
    // handshake the peer did not reject can tell an escaped exception by that reason.
    if (!peerSentReject) {
      assertThat(after.get(Reason.IO_ERROR))
          .as("an exception escaped")
          .isEqualTo(before.get(Reason.IO_ERROR));
    }
    if (refused) {
      assertThat(openAfterFrames).as("a refused handshake closes the connection").isFalse();
    }
    assertThat(alloc.metric().usedHeapMemory()).as("bytes not released").isZero();
  }

  private static Map<Reason, Long> failures() {
    Map<Reason, Long> m = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      m.put(r, TRANSPORT.handshakeFailures(r));
    }
    return m;
  }
}
