package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Numbered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay forms from configuration alone and delivers an all-pairs exchange. */
class OverlayFormationTest {
  private static final int NODES = 6;

  @ParameterizedTest
  @ValueSource(strings = {"full-mesh", "client-server", "hyparview", "static"})
  void overlayFormsAndEveryNodeReachesEveryOther(String overlay) {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = start(cluster, overlay);
      Map<String, Collector> sinks = new HashMap<>();
      for (PartisanRuntime n : nodes) {
        Collector c = new Collector();
        n.spawn("sink", c);
        sinks.put(n.self().name(), c);
      }
      // Retry until every pair got through once: routes and connections form lazily.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                for (PartisanRuntime from : nodes) {
                  for (PartisanRuntime to : nodes) {
                    String dest = to.self().name();
                    if (from == to || received(sinks.get(dest), from.self().name())) {
                      continue;
                    }
                    SendResult r =
                        from.tell(
                            ActorRef.of(dest, "sink"),
                            new Numbered(from.self().name(), 0),
                            SendOptions.DEFAULT);
                    assertThat(r.accepted())
                        .as("%s -> %s: %s", from.self().name(), dest, r)
                        .isTrue();
                  }
                }
                for (PartisanRuntime to : nodes) {
                  for (PartisanRuntime from : nodes) {
                    if (from != to) {
                      assertThat(received(sinks.get(to.self().name()), from.self().name()))
                          .as("%s received from %s", to.self().name(), from.self().name())
                          .isTrue();
                    }
                  }
                }
              });
      for (PartisanRuntime n : nodes) {
        assertThat(n.overlay().members()).extracting(NodeId::name).hasSize(NODES);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"full-mesh", "client-server", "hyparview", "static"})
  void aKilledNodeReachesMonitorsAndSubscribersOnEveryNode(String overlay) {
    try (TestCluster cluster = new TestCluster(TestMessages::register)) {
      List<PartisanRuntime> nodes = start(cluster, overlay);
      PartisanRuntime victim = nodes.get(nodes.size() - 1);
      String victimName = victim.self().name();
      victim.spawn("doomed", (ctx, msg) -> {});
      Map<String, Collector> watchers = new HashMap<>();
      Map<String, List<MembershipEvent>> events = new HashMap<>();
      List<PartisanRuntime> survivors = nodes.subList(0, nodes.size() - 1);
      for (PartisanRuntime n : survivors) {
        Collector watcher = new Collector();
        ActorRef ref = n.spawn("watcher", watcher);
        n.monitor(ref, ActorRef.of(victimName, "doomed"));
        n.monitorNode(ref, victimName);
        watchers.put(n.self().name(), watcher);
        List<MembershipEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        n.overlay().subscribe(seen::add);
        events.put(n.self().name(), seen);
      }
      // Monitoring is asynchronous: wait until the victim holds every remote watcher.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> victim.watchersOf("doomed") == survivors.size());
      victim.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (PartisanRuntime n : survivors) {
                  String name = n.self().name();
                  assertThat(n.overlay().isUp(victimName)).as("%s sees it up", name).isFalse();
                  assertThat(events.get(name))
                      .as("events at %s", name)
                      .anyMatch(
                          e ->
                              e instanceof MembershipEvent.Down d
                                  && d.node().name().equals(victimName));
                  Collector w = watchers.get(name);
                  assertThat(w.messages(dev.partisan.runtime.Down.class))
                      .as("actor monitor at %s", name)
                      .extracting(dev.partisan.runtime.Down::reason)
                      .containsExactly("noconnection");
                  assertThat(w.messages(dev.partisan.runtime.NodeDown.class))
                      .as("node monitor at %s", name)
                      .isNotEmpty();
                }
              });
    }
  }

  private static boolean received(Collector sink, String from) {
    return sink.messages(Numbered.class).stream().anyMatch(n -> n.sender().equals(from));
  }

  static List<PartisanRuntime> start(TestCluster cluster, String overlay) {
    List<PartisanRuntime> nodes = new ArrayList<>();
    switch (overlay) {
      case "static" -> {
        // Start all, then give each the addresses of all the others: a static complete graph.
        List<PartisanRuntime> plain = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
          plain.add(cluster.start(cluster.builder("node" + i).overlay("static").build()));
        }
        List<String> addresses =
            plain.stream().map(n -> n.self().host() + ":" + n.self().port()).toList();
        for (PartisanRuntime n : plain) {
          n.close();
        }
        cluster.nodes().clear();
        for (int i = 1; i <= NODES; i++) {
          List<String> others = new ArrayList<>(addresses);
          String mine = others.remove(i - 1);
          int port = Integer.parseInt(mine.substring(mine.indexOf(':') + 1));
          nodes.add(
              cluster.start(
                  cluster
                      .builder("node" + i)
                      .port(port)
                      .overlay("static")
                      .staticPeers(others)
                      .build()));
        }
      }
      case "client-server" -> {
        for (int i = 1; i <= NODES; i++) {
          String role = i <= 2 ? "server" : "client";
          nodes.add(
              cluster.start(cluster.builder(role + i).overlay("client-server").role(role).build()));
        }
        joinAll(nodes);
      }
      default -> {
        for (int i = 1; i <= NODES; i++) {
          nodes.add(cluster.start(cluster.builder("node" + i).overlay(overlay).build()));
        }
        joinAll(nodes);
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (PartisanRuntime n : nodes) {
                assertThat(n.overlay().upMembers()).as(n.self().name()).hasSize(NODES);
              }
            });
    return nodes;
  }

  private static void joinAll(List<PartisanRuntime> nodes) {
    PartisanRuntime seed = nodes.get(0);
    for (PartisanRuntime n : nodes.subList(1, nodes.size())) {
      n.join(seed.self().host(), seed.self().port()).orTimeout(15, TimeUnit.SECONDS).join();
    }
  }
}
