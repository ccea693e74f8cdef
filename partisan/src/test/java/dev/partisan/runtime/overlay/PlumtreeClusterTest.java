package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plumtree on a formed 16-node HyParView cluster over loopback TCP, with a failure detector far
 * slower than the broadcast: a broadcast does not wait for heartbeats, and once the tree is pruned
 * a broadcast costs one eager copy per node.
 */
class PlumtreeClusterTest {
  private static final int NODES = 16;
  private static final Duration HEARTBEAT = Duration.ofSeconds(5);

  private TestCluster cluster;
  private final List<PartisanRuntime> nodes = new ArrayList<>();
  private final Map<String, Collector> sinks = new HashMap<>();

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register, PlumtreeClusterTest::settings);
    for (int i = 0; i < NODES; i++) {
      PartisanRuntime n = cluster.start(String.format("pt%02d", i));
      Collector sink = new Collector();
      n.spawn("sink", sink);
      sinks.put(n.self().name(), sink);
      nodes.add(n);
    }
    PartisanRuntime contact = nodes.get(0);
    for (PartisanRuntime n : nodes.subList(1, NODES)) {
      n.join(contact.self().host(), contact.self().port()).orTimeout(30, TimeUnit.SECONDS).join();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : nodes) {
                assertThat(n.overlay().upMembers()).as(n.self().name()).hasSize(NODES);
              }
            });
  }

  /**
   * Heartbeat 5 s and detection 20 s: the membership actor ticks every 5 s, so anything riding that
   * tick would take seconds. Plumtree's own timers are short, as a test can afford.
   */
  private static RuntimeConfig.Builder settings(RuntimeConfig.Builder b) {
    return b.overlay("hyparview")
        .heartbeatInterval(HEARTBEAT)
        .detectionTime(Duration.ofSeconds(20))
        .gossipInterval(Duration.ofSeconds(1))
        .overlay(
            ((OverlaySettings.HyParView) b.overlaySettings())
                .withPlumtreeTimers(
                    Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /**
   * Broadcasts from four nodes at once, right after formation: each prunes links the others' trees
   * use, so some nodes get a message only through a graft. Every node still has all four well
   * within one heartbeat.
   */
  @Test
  void broadcastsReachEveryNodeWellWithinOneHeartbeat() {
    List<Echo> sent = new ArrayList<>();
    for (int origin : new int[] {5, 9, 12, 15}) {
      Echo message = new Echo("fast from " + origin);
      sent.add(message);
      nodes.get(origin).broadcast("sink", message);
    }
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> sent.forEach(this::assertEveryNodeGot));
  }

  /**
   * After one broadcast that reached everyone with no other broadcast in flight, every link that
   * carried a duplicate is pruned at both ends and every link that carried a first copy is eager at
   * both ends: the eager links form a spanning tree. The next broadcast, from any node, then costs
   * exactly one eager copy per node other than the origin, no prune and no graft; and every eager
   * copy is either a first delivery or a duplicate answered by one prune.
   */
  @Test
  void onAPrunedTreeABroadcastCostsOneEagerCopyPerNode() {
    broadcastAndSettle(nodes.get(3), new Echo("warm-up"));
    int[] round = {0};
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Map<String, Set<String>> views = views();
              BroadcastStats before = total();
              PartisanRuntime origin = nodes.get(1 + (round[0] % (NODES - 1)));
              Echo message = new Echo("measured " + round[0]++);
              broadcastAndSettle(origin, message);
              BroadcastStats cost = total().minus(before);
              int activeLinks = views.values().stream().mapToInt(Set::size).sum();
              assertThat(cost.eager())
                  .as(
                      "eager copies: one first delivery per node, plus one per duplicate (%s)",
                      cost)
                  .isEqualTo(NODES - 1 + cost.prune());
              assertThat(cost.lazy())
                  .as("at most one IHAVE per link end (%s)", cost)
                  .isLessThanOrEqualTo(activeLinks);
              // A view change (a promotion) or a repair (a graft under load) means the tree was
              // not settled for this broadcast: measure again.
              assertThat(views())
                  .as("active views unchanged during the broadcast")
                  .isEqualTo(views);
              assertThat(cost.graft()).as("no repair needed (%s)", cost).isZero();
              assertThat(cost)
                  .as("a settled tree: one eager copy per node")
                  .isEqualTo(new BroadcastStats(NODES - 1, cost.lazy(), 0, 0));
            });
    for (PartisanRuntime n : nodes) {
      assertThat(sinks.get(n.self().name()).messages(Echo.class))
          .as("each broadcast delivered once at %s", n.self().name())
          .doesNotHaveDuplicates();
    }
  }

  /** Broadcasts, waits for every node to deliver, then for the overlay's counters to settle. */
  private void broadcastAndSettle(PartisanRuntime origin, Echo message) {
    origin.broadcast("sink", message);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEveryNodeGot(message));
    BroadcastStats[] last = {total()};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ofMillis(700))
        .pollInterval(Duration.ofMillis(700))
        .until(
            () -> {
              BroadcastStats now = total();
              boolean settled = now.equals(last[0]);
              last[0] = now;
              return settled;
            });
  }

  private void assertEveryNodeGot(Echo message) {
    for (PartisanRuntime n : nodes) {
      assertThat(sinks.get(n.self().name()).messages(Echo.class))
          .as("broadcast at %s", n.self().name())
          .contains(message);
    }
  }

  private BroadcastStats total() {
    BroadcastStats sum = BroadcastStats.ZERO;
    for (PartisanRuntime n : nodes) {
      sum = sum.plus(n.overlay().broadcastStats());
    }
    return sum;
  }

  private Map<String, Set<String>> views() {
    Map<String, Set<String>> views = new HashMap<>();
    for (PartisanRuntime n : nodes) {
      views.put(n.self().name(), n.overlay().neighbours());
    }
    return views;
  }
}
