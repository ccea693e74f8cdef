package dev.partisan.runtime;

import static dev.partisan.runtime.testing.EventLoops.runsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.interpose.Interposition;
import dev.partisan.runtime.interpose.Interposition.Direction;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import dev.partisan.runtime.transport.LinkEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Traffic classes at the runtime's level: which event loops a node has, which ones decode what it
 * receives, and that a bulk channel keeps its delivery guarantees. (Both ends of a bulk connection,
 * over NIO and epoll: {@code BulkEventLoopTest}.)
 */
class TrafficClassTest {
  private static final ChannelSpec BULK = ChannelSpec.named("bulk").bulk();

  @Test
  void aNodeHasBulkEventLoopsOnlyWithABulkChannelAndNotInBaselineMode() {
    try (TestCluster cluster = new TestCluster(TestMessages::register, b -> b.channel(BULK))) {
      assertThat(cluster.start("node1").bulkEventLoopGroup()).isSameAs(cluster.bulkGroup());
      assertThat(
              cluster.start(cluster.builder("node2").baseline(true).build()).bulkEventLoopGroup())
          .isNull();
      assertThat(cluster.start(cluster.builder("node3").build()).bulkEventLoopGroup()).isNull();
    }
    // A node that shares no group and runs in baseline mode makes none either.
    try (PartisanRuntime alone =
        PartisanRuntime.start(
            RuntimeConfig.builder("alone").channel(BULK).baseline(true).build(),
            TestMessages::register)) {
      assertThat(alone.bulkEventLoopGroup()).isNull();
    }
  }

  @Test
  void baselineModeDecodesEverythingOnTheSharedLoops() {
    try (TestCluster cluster =
        new TestCluster(TestMessages::register, b -> b.baseline(true).channel(BULK))) {
      List<PartisanRuntime> nodes = cluster.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      Map<String, Queue<Thread>> decoders = recordDecoders(b);
      Collector sink = new Collector();
      b.spawn("sink", sink);
      int n = 50;
      for (int i = 0; i < n; i++) {
        assertThat(send(a, "bulk", "k", i)).isEqualTo(SendResult.OK);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.count() == n);
      assertThat(decoders.get("bulk")).hasSize(n).noneMatch(t -> runsIn(cluster.bulkGroup(), t));
      assertThat(decoders.get("bulk")).allMatch(t -> runsIn(cluster.group(), t));
      assertThat(a.metrics())
          .isNotEmpty()
          .allMatch(m -> m.trafficClass() == TrafficClass.LATENCY)
          .allMatch(m -> m.channel().equals(ChannelSpec.DEFAULT));
    }
  }

  /**
   * Four lanes with acknowledgements, on the bulk loops, cut five times while messages are
   * unacknowledged (over a 200 ms emulated round trip, as in {@code DeliveryGuaranteesTest}): every
   * key's messages arrive once each and in order.
   */
  @Test
  void bulkLanesWithAcksDeliverInOrderAcrossForcedReconnects() {
    try (LinkEmulator link = LinkEmulator.of(Duration.ofMillis(200), 0);
        TestCluster slow =
            new TestCluster(
                TestMessages::register,
                b -> b.linkEmulator(link).channel(BULK.withParallelism(4).withAck(true)))) {
      List<PartisanRuntime> nodes = slow.startJoined(2);
      PartisanRuntime a = nodes.get(0);
      PartisanRuntime b = nodes.get(1);
      Map<String, Queue<Thread>> decoders = recordDecoders(b);
      Collector sink = new Collector();
      b.spawn("sink", sink);
      int keys = 8;
      int perKey = 300;
      int disconnects = 5;
      int sent = 0;
      int total = keys * perKey;
      for (int round = 0; round <= disconnects; round++) {
        int until = total * (round + 1) / (disconnects + 1);
        for (; sent < until; sent++) {
          assertThat(send(a, "bulk", "k" + sent % keys, sent / keys)).isEqualTo(SendResult.OK);
        }
        if (round < disconnects) {
          // Cut once something was written and not yet acknowledged (the emulated round trip keeps
          // it so for 200 ms), not while the lanes are still dialing, which would resend nothing;
          // a round that drained before we looked is cut anyway (the other rounds still resend).
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(1))
              .until(() -> written(a) > 0 || unacked(a) == 0);
          a.transport().disconnect("node2");
        }
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= total);
      await().atMost(Duration.ofSeconds(10)).until(() -> unacked(a) == 0);
      Map<String, List<Integer>> byKey =
          sink.messages(Numbered.class).stream()
              .collect(
                  Collectors.groupingBy(
                      Numbered::sender, Collectors.mapping(Numbered::seq, Collectors.toList())));
      List<Integer> inOrder = IntStream.range(0, perKey).boxed().toList();
      assertThat(byKey).hasSize(keys);
      byKey.forEach((key, seqs) -> assertThat(seqs).as(key).containsExactlyElementsOf(inOrder));
      List<LaneMetrics.Snapshot> lanes = bulkLanes(a);
      assertThat(lanes).allMatch(m -> m.trafficClass() == TrafficClass.BULK);
      assertThat(lanes.stream().filter(m -> m.messagesSent() > 0)).hasSizeGreaterThan(1);
      assertThat(lanes.stream().mapToLong(LaneMetrics.Snapshot::retransmitted).sum())
          .as("some messages had to be resent")
          .isPositive();
      assertThat(decoders.get("bulk")).allMatch(t -> runsIn(slow.bulkGroup(), t));
    }
  }

  private static SendResult send(PartisanRuntime from, String channel, String key, int seq) {
    return from.tell(
        ActorRef.of("node2", "sink"), new Numbered(key, seq), SendOptions.on(channel).key(key));
  }

  /** The threads that decode what {@code node} receives, per channel: the fault gate's hook. */
  private static Map<String, Queue<Thread>> recordDecoders(PartisanRuntime node) {
    Map<String, Queue<Thread>> threads = new ConcurrentHashMap<>();
    node.interposition()
        .add(
            info -> {
              if (info.direction() == Direction.INBOUND) {
                threads
                    .computeIfAbsent(info.channel(), k -> new ConcurrentLinkedQueue<>())
                    .add(Thread.currentThread());
              }
              return false; // observe only
            },
            new Interposition.Drop());
    return threads;
  }

  private static List<LaneMetrics.Snapshot> bulkLanes(PartisanRuntime a) {
    return a.metrics().stream().filter(m -> m.channel().equals("bulk")).toList();
  }

  /** Messages written to a bulk connection and not yet acknowledged. */
  private static long written(PartisanRuntime a) {
    return bulkLanes(a).stream().mapToLong(LaneMetrics.Snapshot::unacked).sum();
  }

  private static long unacked(PartisanRuntime a) {
    return bulkLanes(a).stream().mapToLong(m -> m.queuedMessages() + m.unacked()).sum();
  }
}
