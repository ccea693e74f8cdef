package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.kv.report.ClusterReports;
import dev.partisan.kv.report.LatencySummary;
import dev.partisan.kv.report.NodeReport;
import dev.partisan.kv.report.NodeReport.LaneReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Node reports gathered over the runtime from three nodes on real TCP and RocksDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeReportsTest {
  @TempDir static Path dir;
  KvTestCluster cluster;

  @BeforeAll
  void start() {
    cluster = KvTestCluster.start(dir, 3, b -> b);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ClusterReports collect(KvNode from, Duration timeout) throws Exception {
    // The round must end within its timeout whatever the members do.
    return from.reports().collect(timeout).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
  }

  @Test
  @Order(1)
  void everyMemberReportsItsNeighboursLanesAndTheEmbeddingsLatency() throws Exception {
    KvTestCluster.load(
        cluster.node(2).client(), "reports", "k", 200, 16, RequestOptions.defaults());
    LatencySummary get = new LatencySummary("pb", "get", 7, 1.5, 2.5, 3.5);
    cluster.node(2).reports().latencySource(() -> List.of(get));
    cluster.node(2).reports().clientUrls(() -> List.of("http://127.0.0.1:8098"));

    ClusterReports round = collect(cluster.node(1), Duration.ofSeconds(5));

    assertThat(round.missing()).isEmpty();
    assertThat(round.reports())
        .extracting(NodeReport::node)
        .containsExactly("node1", "node2", "node3");
    for (NodeReport r : round.reports()) {
      Set<String> others = new java.util.TreeSet<>(Set.of("node1", "node2", "node3"));
      others.remove(r.node());
      assertThat(r.overlay()).isEqualTo("full-mesh");
      assertThat(r.neighbours()).containsExactlyElementsOf(others);
      assertThat(r.timeMs()).isPositive();
      assertThat(r.aae().enabled()).isEqualTo(cluster.node(r.node()).aaeStatus().enabled());
      assertThat(r.handoff().concurrency()).isEqualTo(cluster.node(r.node()).handoffConcurrency());
    }
    // node2 coordinated 200 puts with n=3: it sent requests to both other nodes on request lanes.
    NodeReport node2 = round.reports().get(1);
    assertThat(node2.latency()).containsExactly(get);
    assertThat(node2.clientUrls()).containsExactly("http://127.0.0.1:8098");
    for (String peer : List.of("node1", "node3")) {
      long sent =
          node2.lanes().stream()
              .filter(l -> l.peer().equals(peer) && l.channel().equals(KvChannels.REQUEST))
              .mapToLong(LaneReport::messagesSent)
              .sum();
      assertThat(sent).as("request messages node2 -> %s", peer).isGreaterThan(0);
    }
    assertThat(node2.lanes())
        .filteredOn(l -> l.channel().equals(KvChannels.REQUEST))
        .allSatisfy(l -> assertThat(l.trafficClass()).isEqualTo("latency"));
    assertThat(round.reports().get(0).latency()).isEmpty();
  }

  @Test
  @Order(2)
  void aPartitionedMemberIsMissingAndTheOthersStillReport() throws Exception {
    KvNode node1 = cluster.node(1);
    node1.runtime().interposition().partition(Set.of("node3"));
    try {
      ClusterReports round = collect(node1, Duration.ofSeconds(1));
      assertThat(round.missing()).containsExactly("node3");
      assertThat(round.reports()).extracting(NodeReport::node).containsExactly("node1", "node2");
    } finally {
      node1.runtime().interposition().heal();
    }
    cluster.awaitUp(node1, "node3", true);
    assertThat(collect(node1, Duration.ofSeconds(5)).missing()).isEmpty();
  }

  @Test
  @Order(3)
  void aStoppedMemberIsMissingAndTheOthersStillReport() throws Exception {
    cluster.stop(3);
    ClusterReports round = collect(cluster.node(1), Duration.ofSeconds(1));
    assertThat(round.missing()).containsExactly("node3");
    assertThat(round.reports()).extracting(NodeReport::node).containsExactly("node1", "node2");
  }
}
