package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.runtime.testing.Collector;
import dev.partisan.runtime.testing.TestCluster;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.testing.TestMessages.Echo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections to peers that are not overlay neighbours close when idle and reopen on demand. */
class IdleConnectionTest {
  @Test
  void idleNonNeighbourConnectionsCloseAndReopen() {
    try (TestCluster cluster =
        new TestCluster(TestMessages::register, b -> b.idleTimeout(Duration.ofMillis(1500)))) {
      PartisanRuntime a = cluster.start("node1");
      PartisanRuntime b = cluster.start("node2");
      Collector sink = new Collector();
      b.spawn("sink", sink);
      a.transport().learn(b.self()); // known, but not a member: not a neighbour
      assertThat(a.tell(ActorRef.of("node2", "sink"), new Echo("one"))).isEqualTo(SendResult.OK);
      await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 1);
      assertThat(a.transport().connectionCount("node2")).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> a.transport().connectionCount("node2") == 0);
      assertThat(a.tell(ActorRef.of("node2", "sink"), new Echo("two"))).isEqualTo(SendResult.OK);
      await().atMost(Duration.ofSeconds(5)).until(() -> sink.count() == 2);
    }
  }

  @Test
  void neighboursKeepTheirConnections() {
    try (TestCluster cluster =
        new TestCluster(TestMessages::register, b -> b.idleTimeout(Duration.ofMillis(500)))) {
      var nodes = cluster.startJoined(2);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> nodes.get(0).transport().connectionCount("node2") >= 1);
    }
  }
}
