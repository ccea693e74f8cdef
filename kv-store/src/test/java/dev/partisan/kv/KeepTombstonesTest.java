package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With delete_mode keep, tombstones stay. */
class KeepTombstonesTest {
  @TempDir Path dir;

  @Test
  void tombstonesAreKept() {
    try (KvTestCluster cluster = KvTestCluster.start(dir, 1, b -> b.deleteMode(DeleteMode.KEEP))) {
      KvNode node = cluster.node(1);
      RequestOptions one = RequestOptions.defaults().nVal(1);
      BKey key = BKey.of("keep", "k");
      node.client().put(key, Content.text("v"), CausalContext.EMPTY, one).join();
      node.client().delete(key, CausalContext.EMPTY, one).join();
      int partition = node.ring().preferenceList().primaries(key.position(), 1).get(0).partition();
      for (int i = 0; i < 3; i++) {
        assertThat(node.client().get(key, one).join().found()).isFalse();
      }
      await()
          .during(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  stored(node, partition, key) != null
                      && stored(node, partition, key).isTombstone());
      assertThat(node.stats().reaps()).isZero();
    }
  }
}
