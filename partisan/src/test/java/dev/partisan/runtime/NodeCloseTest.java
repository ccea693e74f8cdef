package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.OpenSockets;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing a node leaves nothing open: when close() returns its port can be bound again and the
 * process holds no descriptor for its sockets (listening, accepted, dialed, mid-handshake); its
 * peers then see every connection to it end.
 */
class NodeCloseTest {
  @ParameterizedTest
  @ValueSource(strings = {"full-mesh", "hyparview"})
  void aClosedNodeLeavesNoSocketAndItsPortIsFreeAtOnce(String overlay) throws IOException {
    assumeThat(OpenSockets.available()).as("needs /proc").isTrue();
    try (TestCluster cluster =
        new TestCluster(
            TestMessages::register,
            b -> b.overlay(overlay).channel(ChannelSpec.named("request").withParallelism(2)))) {
      // Two nodes: every socket towards the peer's port that is not the peer's own is the
      // victim's dial, every socket towards the victim's port is the peer's.
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime peer = nodes.get(0);
      PartisanRuntime victim = nodes.get(1);
      Collector atVictim = new Collector();
      Collector atPeer = new Collector();
      victim.spawn("sink", atVictim);
      peer.spawn("sink", atPeer);
      // Connections both ways, on several channels and lanes.
      for (int i = 0; i < 8; i++) {
        peer.tell(ActorRef.of(victim.self().name(), "sink"), new Numbered("p", i), on(i));
        victim.tell(ActorRef.of(peer.self().name(), "sink"), new Numbered("v", i), on(i));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> atVictim.count() == 8 && atPeer.count() == 8);
      int port = victim.listenPort();
      int peerPort = peer.listenPort();
      Predicate<OpenSockets.Socket> victims =
          s -> s.localPort() == port || (s.remotePort() == peerPort && s.localPort() != peerPort);
      assertThat(OpenSockets.withDescriptor())
          .filteredOn(victims)
          .as("the victim's sockets before close: listening, accepted, dialed")
          .hasSizeGreaterThan(3);
      // And a connection still in its handshake: a client that never says HELLO.
      java.net.Socket silent = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  OpenSockets.withDescriptor().stream()
                      .anyMatch(
                          s -> s.localPort() == port && s.remotePort() == silent.getLocalPort()));
      Set<Integer> victimDialPorts =
          OpenSockets.withDescriptor().stream()
              .filter(s -> s.remotePort() == peerPort && s.localPort() != peerPort)
              .map(OpenSockets.Socket::localPort)
              .collect(Collectors.toSet());

      victim.close();

      assertThat(OpenSockets.withDescriptor())
          .filteredOn(victims)
          .as("the victim's sockets once close() returned")
          .isEmpty();
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(again.getLocalPort()).isEqualTo(port);
      } catch (IOException e) {
        throw new AssertionError("port " + port + " not free once close() returned", e);
      }
      try (silent) {
        silent.setSoTimeout(10_000);
        assertThat(silent.getInputStream().read())
            .as("the handshaking client sees the end")
            .isEqualTo(-1);
      } catch (IOException e) {
        // a reset is an end too
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(peer.transport().connectionCount(victim.self().name()))
                    .as("the peer's connections to the closed node")
                    .isZero();
                // The peer may redial (it still has heartbeats to send): a refused attempt is not
                // a connection; an established or half-closed one would be.
                assertThat(OpenSockets.withDescriptor())
                    .filteredOn(
                        s ->
                            s.remotePort() == port
                                || (s.localPort() == peerPort
                                    && victimDialPorts.contains(s.remotePort())))
                    .filteredOn(s -> s.established() || s.closeWait())
                    .as("the peer's ends of the closed node's connections")
                    .isEmpty();
              });
    }
  }

  private static SendOptions on(int key) {
    return SendOptions.on("request").key(key);
  }
}
