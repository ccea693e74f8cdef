package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.ring.Replica;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted on its data folder has its data (and its ring) back. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void aRestartedNodeKeepsItsDataAndRejoins() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 3, b -> b)) {
      BKey key = cluster.keyWith("restart", "k", 3, "node2", true);
      int partition =
          cluster.primaries(key, 3).stream()
              .filter(r -> r.node().equals("node2"))
              .mapToInt(Replica::partition)
              .findFirst()
              .orElseThrow();
      cluster
          .node(1)
          .client()
          .put(key, Content.text("durable"), CausalContext.EMPTY, RequestOptions.defaults().w(3))
          .join();
      long ringVersion = cluster.node(2).ring().version();

      cluster.stop(2);
      KvNode node2 = cluster.restart(2);
      assertThat(node2.ring().version()).isGreaterThanOrEqualTo(ringVersion);
      assertThat(node2.ring().ring().members()).hasSize(3);
      assertThat(new String(stored(node2, partition, key).liveSiblings().get(0).value()))
          .isEqualTo("durable");
      cluster.awaitUp(cluster.node(1), "node2", true);
      GetResult g = node2.client().get(key, RequestOptions.defaults().r(3).pr(3)).join();
      assertThat(g.value().valueAsString()).isEqualTo("durable");
      // And it takes writes again, which carry on from the stored history.
      node2
          .client()
          .put(key, Content.text("after"), g.context(), RequestOptions.defaults().w(3))
          .join();
      assertThat(cluster.node(3).client().get(key).join().value().valueAsString())
          .isEqualTo("after");
    }
  }

  @Test
  void aSingleNodeComesBackWithItsData() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b)) {
      RequestOptions one = RequestOptions.defaults().nVal(1);
      for (int i = 0; i < 50; i++) {
        cluster
            .node(1)
            .client()
            .put(BKey.of("solo", "k" + i), Content.text("v" + i), CausalContext.EMPTY, one)
            .join();
      }
      cluster.stop(1);
      KvNode again = cluster.restart(1);
      for (int i = 0; i < 50; i++) {
        assertThat(again.client().get(BKey.of("solo", "k" + i), one).join().value().valueAsString())
            .isEqualTo("v" + i);
      }
    }
  }
}
