package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.LaneSelector;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery on every channel, per-pair FIFO across parallel lanes, and key affinity. */
class ChannelsTest {
  private static final List<String> APP_CHANNELS =
      List.of("request", "handoff", "anti-entropy", "bulk");

  private TestCluster cluster;
  private PartisanRuntime a;
  private PartisanRuntime b;

  @BeforeEach
  void start() {
    cluster =
        new TestCluster(
            TestMessages::register,
            builder ->
                builder
                    .channel(ChannelSpec.named("request").withParallelism(4))
                    .channel(ChannelSpec.named("handoff").withParallelism(2).withCompression(true))
                    .channel(ChannelSpec.named("anti-entropy").withAck(true))
                    .channel(ChannelSpec.named("bulk").withParallelism(8)));
    List<PartisanRuntime> nodes = cluster.startJoined(2);
    a = nodes.get(0);
    b = nodes.get(1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void everyChannelDeliversAndIsCountedOnItsOwnConnections() {
    Collector sink = new Collector();
    b.spawn("sink", sink);
    List<String> channels = new ArrayList<>(APP_CHANNELS);
    channels.add(ChannelSpec.DEFAULT);
    channels.add(ChannelSpec.MEMBERSHIP);
    int perChannel = 50;
    for (String channel : channels) {
      for (int i = 0; i < perChannel; i++) {
        // membership is monotonic: distinct keys, or newer messages would replace queued ones.
        SendOptions options =
            channel.equals(ChannelSpec.MEMBERSHIP)
                ? SendOptions.on(channel).key("test-" + i)
                : SendOptions.on(channel);
        SendResult r = a.tell(ActorRef.of("node2", "sink"), new Numbered(channel, i), options);
        assertThat(r.accepted()).as("send on %s", channel).isTrue();
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.count() == channels.size() * perChannel);

    Map<String, List<Integer>> byChannel = new HashMap<>();
    for (Collector.Received r : sink.received()) {
      Numbered n = (Numbered) r.message();
      assertThat(r.channel()).as("arrival channel").isEqualTo(n.sender());
      byChannel.computeIfAbsent(r.channel(), k -> new ArrayList<>()).add(n.seq());
    }
    for (String channel : channels) {
      assertThat(byChannel.get(channel)).as(channel).hasSize(perChannel);
    }
    Map<String, Long> sentPerChannel =
        a.metrics().stream()
            .filter(m -> m.peer().equals("node2"))
            .collect(
                Collectors.groupingBy(
                    LaneMetrics.Snapshot::channel,
                    Collectors.summingLong(LaneMetrics.Snapshot::messagesSent)));
    for (String channel : APP_CHANNELS) {
      assertThat(sentPerChannel.get(channel)).as("messages sent on %s", channel).isEqualTo(50L);
    }
  }

  @Test
  void perPairFifoHoldsWithParallelism8Under16ConcurrentSenders() throws Exception {
    Collector sink = new Collector();
    b.spawn("sink", sink);
    int senders = 16;
    int perSender = 500;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      String name = "sender-" + s;
      ActorRef from = ActorRef.of(a.self(), name);
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perSender; i++) {
                  SendResult r =
                      a.tell(
                          ActorRef.of("node2", "sink"),
                          new Numbered(name, i),
                          SendOptions.on("bulk").from(from));
                  assertThat(r).isEqualTo(SendResult.OK);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.count() == senders * perSender);

    Map<String, Integer> next = new HashMap<>();
    for (Numbered n : sink.messages(Numbered.class)) {
      int expected = next.getOrDefault(n.sender(), 0);
      assertThat(n.seq()).as("next message from %s", n.sender()).isEqualTo(expected);
      next.put(n.sender(), expected + 1);
    }
    long lanesUsed =
        a.metrics().stream()
            .filter(m -> m.channel().equals("bulk") && m.messagesSent() > 0)
            .count();
    assertThat(lanesUsed).as("lanes carrying traffic").isGreaterThan(1);
  }

  @Test
  void sameKeyTakesSameLaneAndKeepsOrder() {
    Collector sink = new Collector();
    b.spawn("sink", sink);
    int keys = 32;
    int perKey = 100;
    // Interleave keys so that any lane mix-up would reorder them.
    for (int i = 0; i < perKey; i++) {
      for (int k = 0; k < keys; k++) {
        String key = "key-" + k;
        assertThat(
                a.tell(
                        ActorRef.of("node2", "sink"),
                        new Numbered(key, i),
                        SendOptions.on("bulk").key(key))
                    .accepted())
            .isTrue();
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.count() == keys * perKey);

    Map<String, Integer> next = new HashMap<>();
    for (Numbered n : sink.messages(Numbered.class)) {
      int expected = next.getOrDefault(n.sender(), 0);
      assertThat(n.seq()).as("order of %s", n.sender()).isEqualTo(expected);
      next.put(n.sender(), expected + 1);
    }
    Map<Integer, Long> expectedPerLane = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      expectedPerLane.merge(LaneSelector.lane("key-" + k, 8), (long) perKey, Long::sum);
    }
    Map<Integer, Long> actualPerLane =
        a.metrics().stream()
            .filter(m -> m.channel().equals("bulk") && m.peer().equals("node2"))
            .filter(m -> m.messagesSent() > 0)
            .collect(
                Collectors.toMap(LaneMetrics.Snapshot::lane, LaneMetrics.Snapshot::messagesSent));
    assertThat(actualPerLane).isEqualTo(expectedPerLane);
  }
}
