package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Monitors of remote actors and of nodes. */
class MonitorTest {
  private TestCluster cluster;
  private List<PartisanRuntime> nodes;

  @BeforeEach
  void start() {
    cluster = new TestCluster(TestMessages::register);
    nodes = cluster.startJoined(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void watcherIsToldWhenARemoteActorStops() {
    ActorRef worker = nodes.get(1).spawn("worker", (ctx, msg) -> {});
    Collector watcher = new Collector();
    ActorRef watcherRef = nodes.get(0).spawn("watcher", watcher);
    nodes.get(0).monitor(watcherRef, worker);
    // Monitoring is asynchronous: stop only once node2 has registered the watcher.
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.get(1).watchersOf("worker") == 1);
    nodes.get(1).stop(worker);
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.count() == 1);
    Down down = watcher.messages(Down.class).get(0);
    assertThat(down.actor().name()).isEqualTo("worker");
    assertThat(down.reason()).isEqualTo("stopped");
  }

  @Test
  void monitoringAMissingActorReportsNoproc() {
    Collector watcher = new Collector();
    ActorRef watcherRef = nodes.get(0).spawn("watcher", watcher);
    nodes.get(0).monitor(watcherRef, ActorRef.of("node2", "nobody"));
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.count() == 1);
    assertThat(watcher.messages(Down.class).get(0).reason()).isEqualTo("noproc");
  }

  @Test
  void nodeFailureReachesActorAndNodeMonitors() {
    nodes.get(2).spawn("doomed", (ctx, msg) -> {});
    Collector watcher = new Collector();
    ActorRef watcherRef = nodes.get(0).spawn("watcher", watcher);
    nodes.get(0).monitor(watcherRef, ActorRef.of("node3", "doomed"));
    nodes.get(0).monitorNode(watcherRef, "node3");
    nodes.get(2).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !watcher.messages(Down.class).isEmpty()
                    && !watcher.messages(NodeDown.class).isEmpty());
    assertThat(watcher.messages(Down.class).get(0).reason()).isEqualTo("noconnection");
    assertThat(watcher.messages(NodeDown.class).get(0).node()).isEqualTo("node3");
  }
}
