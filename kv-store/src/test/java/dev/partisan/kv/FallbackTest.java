package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.ring.Replica;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four nodes: a primary goes down, writes land on a fallback, reads still succeed. */
class FallbackTest {
  @TempDir Path dir;
  KvTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = KvTestCluster.start(dir, 4, b -> b);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void writesGoToAFallbackWhileAPrimaryIsDownAndReadRepairRestoresIt() {
    BKey key = cluster.keyWith("fallback", "k", 3, "node4", true);
    List<Replica> primaries = cluster.primaries(key, 3);
    int node4Partition =
        primaries.stream()
            .filter(r -> r.node().equals("node4"))
            .findFirst()
            .orElseThrow()
            .partition();
    String fallbackNode =
        Set.of("node1", "node2", "node3", "node4").stream()
            .filter(n -> primaries.stream().noneMatch(r -> r.node().equals(n)))
            .findFirst()
            .orElseThrow();

    cluster.node(4).runtime().interposition().partition(Set.of("node1", "node2", "node3"));
    for (int i = 1; i <= 3; i++) {
      cluster.awaitUp(cluster.node(i), "node4", false);
    }
    KvClient client = cluster.node(1).client();
    PutResult put =
        client
            .put(key, Content.text("hinted"), CausalContext.EMPTY, RequestOptions.defaults().w(3))
            .join();
    assertThat(put.report().acks()).isEqualTo(3);
    assertThat(put.report().primaryAcks()).isEqualTo(2);

    KvNode fallback = cluster.node(fallbackNode);
    assertThat(fallback.vnodes().running()).contains(node4Partition);
    assertThat(fallback.ring().owns(fallbackNode, node4Partition)).isFalse();
    assertThat(stored(fallback, node4Partition, key)).isNotNull();

    GetResult read = cluster.node(2).client().get(key, RequestOptions.defaults().r(3)).join();
    assertThat(read.value().valueAsString()).isEqualTo("hinted");
    assertThat(errorOf(() -> client.get(key, RequestOptions.defaults().pr(3)).join()))
        .isEqualTo(KvError.PR_UNMET);
    assertThat(
            errorOf(
                () ->
                    client
                        .put(
                            key,
                            Content.text("x"),
                            CausalContext.EMPTY,
                            RequestOptions.defaults().pw(3))
                        .join()))
        .isEqualTo(KvError.PW_UNMET);

    // The primary returns without the write (handoff is a later issue); a read repairs it.
    cluster.node(4).runtime().interposition().heal();
    for (int i = 1; i <= 3; i++) {
      cluster.awaitUp(cluster.node(i), "node4", true);
    }
    assertThat(stored(cluster.node(4), node4Partition, key)).isNull();
    GetResult all = client.get(key, RequestOptions.defaults().r(3).pr(3)).join();
    assertThat(all.value().valueAsString()).isEqualTo("hinted");
    await()
        .atMost(KvTestCluster.WAIT)
        .until(() -> stored(cluster.node(4), node4Partition, key) != null);
  }
}
