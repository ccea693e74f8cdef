package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HyParView with 64 nodes in one JVM: formation through one contact, symmetric active views,
 * Plumtree broadcast, routed unicast, healing after 25% of the nodes are killed, and leave.
 */
class HyParViewTest {
  private static final int NODES = 64;
  private TestCluster cluster;
  private List<PartisanRuntime> nodes;
  private final Map<String, Collector> sinks = new HashMap<>();

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register, HyParViewTest::settings);
    nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      PartisanRuntime n = cluster.start(String.format("hv%02d", i));
      Collector sink = new Collector();
      n.spawn("sink", sink);
      sinks.put(n.self().name(), sink);
      nodes.add(n);
    }
    PartisanRuntime contact = nodes.get(0);
    for (PartisanRuntime n : nodes.subList(1, NODES)) {
      n.join(contact.self().host(), contact.self().port()).orTimeout(20, TimeUnit.SECONDS).join();
    }
  }

  private static RuntimeConfig.Builder settings(RuntimeConfig.Builder b) {
    // 64 nodes share 2 cores, which CI may load further: a generous detection time keeps the
    // failure detector from mistaking a starved event loop for a dead node.
    return b.overlay("hyparview")
        .heartbeatInterval(Duration.ofMillis(500))
        .detectionTime(Duration.ofMillis(5000))
        .gossipInterval(Duration.ofMillis(500))
        .overlay(
            ((OverlaySettings.HyParView) b.overlaySettings())
                .withShuffle(Duration.ofSeconds(2), 3, 4)
                .withLazyPushInterval(Duration.ofMillis(250)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void formsAConnectedSymmetricOverlayThatBroadcastsRoutesHealsAndForgetsLeavers() {
    // Formation: everyone knows everyone, views are symmetric and the graph is connected.
    awaitMembership(nodes);
    awaitSymmetricConnected(nodes);
    for (PartisanRuntime n : nodes) {
      assertThat(n.overlay().neighbours().size())
          .as("active view of %s", n.self().name())
          .isBetween(1, 6);
    }

    // Broadcast reaches 100%.
    nodes.get(7).broadcast("sink", new Echo("to everyone"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : nodes) {
                assertThat(sinks.get(n.self().name()).messages(Echo.class))
                    .as("broadcast at %s", n.self().name())
                    .containsExactly(new Echo("to everyone"));
              }
            });

    // Routed unicast reaches 100%: one node to all, all to one, and random pairs.
    assertAllDelivered(nodes, unicastRound(nodes, 1, new Random(42)));

    // Kill 25%: the overlay heals with no island and delivery is back to 100%.
    Random r = new Random(7);
    List<PartisanRuntime> victims = new ArrayList<>(nodes.subList(1, NODES));
    java.util.Collections.shuffle(victims, r);
    victims = victims.subList(0, NODES / 4);
    for (PartisanRuntime v : victims) {
      v.close();
    }
    List<PartisanRuntime> live = new ArrayList<>(nodes);
    live.removeAll(victims);
    Set<String> dead = victims.stream().map(n -> n.self().name()).collect(Collectors.toSet());
    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : live) {
                assertThat(n.overlay().neighbours()).doesNotContainAnyElementsOf(dead);
                assertThat(n.overlay().neighbours()).isNotEmpty();
              }
              assertConnected(live);
            });
    awaitSymmetricConnected(live);
    // Routed unicast is best effort: a round sent while routes still settle may lose a message,
    // so rounds are resent until one is complete. Each attempt's own wait must end in an
    // AssertionError (which untilAsserted retries), not in a ConditionTimeoutException (which it
    // does not): a single lost message used to fail the test on the first attempt.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Map<String, Set<String>> round = unicastRound(live, 2, new Random(3));
              try {
                assertAllDelivered(live, round, Duration.ofSeconds(8));
              } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("a routed round was incomplete: " + e.getMessage(), e);
              }
            });

    // A leave removes the node everywhere.
    PartisanRuntime leaver = live.get(live.size() - 1);
    String leaverName = leaver.self().name();
    leaver.leave().orTimeout(10, TimeUnit.SECONDS).join();
    List<PartisanRuntime> rest = live.subList(0, live.size() - 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : rest) {
                assertThat(n.overlay().members())
                    .extracting(NodeId::name)
                    .as("members at %s", n.self().name())
                    .doesNotContain(leaverName);
              }
            });
  }

  /** Sends one round; returns, per destination, the senders it must hear from. */
  private Map<String, Set<String>> unicastRound(List<PartisanRuntime> live, int round, Random r) {
    Map<String, Set<String>> expected = new HashMap<>();
    List<PartisanRuntime[]> pairs = new ArrayList<>();
    PartisanRuntime hub = live.get(0);
    for (PartisanRuntime n : live) {
      if (n != hub) {
        pairs.add(new PartisanRuntime[] {hub, n});
        pairs.add(new PartisanRuntime[] {n, hub});
      }
    }
    for (int i = 0; i < 100; i++) {
      PartisanRuntime a = live.get(r.nextInt(live.size()));
      PartisanRuntime b = live.get(r.nextInt(live.size()));
      if (a != b) {
        pairs.add(new PartisanRuntime[] {a, b});
      }
    }
    for (PartisanRuntime[] p : pairs) {
      String from = p[0].self().name();
      String to = p[1].self().name();
      if (expected.computeIfAbsent(to, k -> new HashSet<>()).add(from)) {
        p[0].tell(ActorRef.of(to, "sink"), new Numbered(from, round));
      }
    }
    return expected;
  }

  private void assertAllDelivered(List<PartisanRuntime> live, Map<String, Set<String>> expected) {
    assertAllDelivered(live, expected, Duration.ofSeconds(30));
  }

  private void assertAllDelivered(
      List<PartisanRuntime> live, Map<String, Set<String>> expected, Duration atMost) {
    await()
        .atMost(atMost)
        .untilAsserted(
            () -> {
              int missing = 0;
              for (var e : expected.entrySet()) {
                Set<String> got =
                    sinks.get(e.getKey()).messages(Numbered.class).stream()
                        .map(Numbered::sender)
                        .collect(Collectors.toSet());
                for (String from : e.getValue()) {
                  if (!got.contains(from)) {
                    missing++;
                  }
                }
              }
              assertThat(missing).as("routed messages not delivered").isZero();
            });
  }

  private static void awaitMembership(List<PartisanRuntime> live) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : live) {
                assertThat(n.overlay().upMembers()).as(n.self().name()).hasSize(live.size());
              }
            });
  }

  private static void awaitSymmetricConnected(List<PartisanRuntime> live) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Map<String, Set<String>> views = views(live);
              for (var e : views.entrySet()) {
                for (String neighbour : e.getValue()) {
                  assertThat(views.getOrDefault(neighbour, Set.of()))
                      .as("%s in the view of its neighbour %s", e.getKey(), neighbour)
                      .contains(e.getKey());
                }
              }
              assertConnected(live);
            });
  }

  private static Map<String, Set<String>> views(List<PartisanRuntime> live) {
    Map<String, Set<String>> views = new HashMap<>();
    for (PartisanRuntime n : live) {
      views.put(n.self().name(), n.overlay().neighbours());
    }
    return views;
  }

  private static void assertConnected(List<PartisanRuntime> live) {
    Map<String, Set<String>> views = views(live);
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(live.get(0).self().name()));
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (seen.add(n)) {
        for (String m : views.getOrDefault(n, Set.of())) {
          if (views.containsKey(m)) {
            todo.add(m);
          }
        }
      }
    }
    assertThat(seen).as("nodes reachable over active views").hasSize(live.size());
  }
}
