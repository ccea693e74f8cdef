package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import dev.partisan.runtime.testing.TestMessages.Version;
import dev.partisan.runtime.transport.LinkEmulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Monotonic conflation and at-least-once delivery with de-duplication across reconnects. */
class DeliveryGuaranteesTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster =
        new TestCluster(
            TestMessages::register,
            b ->
                b.channel(ChannelSpec.named("gossip").withMonotonic(true))
                    .channel(ChannelSpec.named("reliable").withAck(true)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void monotonicChannelKeepsOnlyTheNewestQueuedMessagePerKey() throws IOException {
    PartisanRuntime a = cluster.start("node1");
    PartisanRuntime b = cluster.start("node2");
    Collector sink = new Collector();
    b.spawn("sink", sink);
    // Point node1 at a port where nobody listens: everything queues while it cannot connect.
    a.transport().learn(withPort(b.self(), deadPort()));
    int keys = 3;
    int versions = 100;
    for (int v = 0; v < versions; v++) {
      for (int k = 0; k < keys; k++) {
        String key = "k" + k;
        SendResult r =
            a.tell(
                ActorRef.of("node2", "sink"),
                new Version(key, v),
                SendOptions.on("gossip").key(key));
        assertThat(r).isEqualTo(v == 0 ? SendResult.OK : SendResult.CONFLATED);
      }
    }
    LaneMetrics.Snapshot lane = gossipLane(a);
    assertThat(lane.conflated()).isEqualTo((long) keys * (versions - 1));
    assertThat(lane.queuedMessages()).isEqualTo(keys);

    a.transport().learn(b.self()); // the real address: the link connects and drains
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == keys);
    assertThat(sink.messages(Version.class))
        .extracting(Version::version)
        .containsOnly((long) versions - 1);
    assertThat(gossipLane(a).queuedBytes()).isZero();
  }

  /**
   * Cuts the connection five times, each time once messages are written and unacknowledged. The
   * link runs through the emulator with a 200 ms round trip, so what was written cannot be
   * acknowledged within that time however busy the machine is: on plain loopback the receiver's
   * ACKs could overtake a descheduled test thread and leave nothing to resend.
   */
  @Test
  void ackChannelDeliversEveryMessageExactlyOnceAcrossForcedReconnects() {
    try (LinkEmulator link = LinkEmulator.of(Duration.ofMillis(200), 0);
        TestCluster slow =
            new TestCluster(
                TestMessages::register,
                b -> b.linkEmulator(link).channel(ChannelSpec.named("reliable").withAck(true)))) {
      List<PartisanRuntime> nodes = slow.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      Collector sink = new Collector();
      b.spawn("sink", sink);
      int total = 3000;
      int disconnects = 5;
      int sent = 0;
      for (int round = 0; round < disconnects; round++) {
        int until = total * (round + 1) / (disconnects + 1);
        for (; sent < until; sent++) {
          assertThat(send(a, sent)).isEqualTo(SendResult.OK);
        }
        // Cut once something was written and not yet acknowledged (the emulated round trip keeps
        // it so for 200 ms), not while the link is still dialing, which would resend nothing; a
        // round that drained before we looked is cut anyway (the other rounds still resend).
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> written(a) > 0 || reliableUnacked(a) == 0);
        a.transport().disconnect("node2");
      }
      for (; sent < total; sent++) {
        assertThat(send(a, sent)).isEqualTo(SendResult.OK);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.messages(Numbered.class).stream().anyMatch(n -> n.seq() == total - 1));
      // Nothing else may trickle in after the last one (a late duplicate would be a bug).
      await().atMost(Duration.ofSeconds(10)).until(() -> reliableUnacked(a) == 0);
      List<Integer> seqs = sink.messages(Numbered.class).stream().map(Numbered::seq).toList();
      assertThat(seqs).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
      long retransmitted =
          a.metrics().stream()
              .filter(m -> m.channel().equals("reliable"))
              .mapToLong(LaneMetrics.Snapshot::retransmitted)
              .sum();
      assertThat(retransmitted).as("some messages had to be resent").isPositive();
    }
  }

  /** Messages written to the reliable connection and not yet acknowledged. */
  private static long written(PartisanRuntime a) {
    return a.metrics().stream()
        .filter(m -> m.channel().equals("reliable"))
        .mapToLong(LaneMetrics.Snapshot::unacked)
        .sum();
  }

  private static long reliableUnacked(PartisanRuntime a) {
    return a.metrics().stream()
        .filter(m -> m.channel().equals("reliable"))
        .mapToLong(m -> m.queuedMessages() + m.unacked())
        .sum();
  }

  private static SendResult send(PartisanRuntime a, int seq) {
    return a.tell(ActorRef.of("node2", "sink"), new Numbered("a", seq), SendOptions.on("reliable"));
  }

  private static LaneMetrics.Snapshot gossipLane(PartisanRuntime a) {
    return a.metrics().stream().filter(m -> m.channel().equals("gossip")).findFirst().orElseThrow();
  }

  static NodeId withPort(NodeId id, int port) {
    return new NodeId(id.name(), id.host(), port, id.incarnation());
  }

  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
