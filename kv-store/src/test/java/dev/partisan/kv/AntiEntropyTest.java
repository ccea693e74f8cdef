package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.load;
import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.replica.VnodeMessages.ReplicaPutRequest;
import dev.partisan.runtime.interpose.Interposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Active anti-entropy restores replicas without any client read. */
class AntiEntropyTest {
  @TempDir Path dir;

  @Test
  void lostAndMissedKeysComeBackWithoutAnyRead() {
    try (KvTestCluster cluster =
        KvTestCluster.start(
            dir,
            3,
            b -> KvTestCluster.fastAntiEntropy(b).aaeRebuildInterval(Duration.ofSeconds(1)))) {
      RequestOptions all = RequestOptions.defaults().w(Quorum.ALL).dw(Quorum.ALL);
      List<BKey> keys = load(cluster.node(1).client(), "aae", "k", 600, 32, all);
      KvNode node3 = cluster.node(3);
      // Exchanges paused while the replicas are damaged, so the preconditions below hold.
      cluster.nodes().forEach(n -> n.setAaeThrottle(0, 2_000));

      // (1) A replica loses keys behind the store's back (a damaged disk): only a rebuild of its
      // trees from the backend can notice.
      Map<BKey, Integer> lost = cluster.loseReplicas("node3", keys, 100);
      assertThat(lost).hasSize(100);

      // (2) A replica misses writes (replication to it dropped): its trees know, no rebuild needed.
      Map<BKey, Integer> missed = writesMissedBy(cluster, "node2", "aae", "missed-", 20);
      missed.forEach((k, p) -> assertThat(stored(cluster.node(2), p, k)).isNull());
      cluster.nodes().forEach(n -> n.setAaeThrottle(4, 2_000));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                lost.forEach(
                    (k, p) -> assertThat(stored(node3, p, k)).as("%s on node3", k).isNotNull());
                missed.forEach(
                    (k, p) ->
                        assertThat(stored(cluster.node(2), p, k)).as("%s on node2", k).isNotNull());
              });
      for (KvNode n : cluster.nodes()) {
        assertThat(n.stats().gets()).as("client reads on %s", n.name()).isZero();
      }
      long repaired = cluster.nodes().stream().mapToLong(n -> n.aaeStatus().keysRepaired()).sum();
      assertThat(repaired).isGreaterThanOrEqualTo(120);
      AaeStatus status = node3.aaeStatus();
      assertThat(status.enabled()).isTrue();
      assertThat(status.exchanges()).isPositive();
      assertThat(status.partitions())
          .filteredOn(AaeStatus.Partition::owned)
          .allSatisfy(p -> assertThat(p.treesBuilt()).isTrue())
          .anySatisfy(p -> assertThat(p.lastExchange()).isNotNull());
    }
  }

  /**
   * With the default tree expiry (days) no rebuild runs during the test: the trees that find the
   * missed writes are the ones kept write by write since the vnodes started empty. (A vnode used to
   * publish its tree ids only after a rebuild, so trees created by writes were never exchanged.)
   */
  @Test
  void incrementallyKeptTreesFindMissedWritesWithoutARebuild() {
    try (KvTestCluster cluster =
        KvTestCluster.start(dir, 3, b -> KvTestCluster.fastAntiEntropy(b))) {
      // Exchanges paused while node3 misses the writes, so the precondition below holds.
      cluster.nodes().forEach(n -> n.setAaeThrottle(0, 2_000));
      Map<BKey, Integer> missed = writesMissedBy(cluster, "node3", "incremental", "k-", 30);
      missed.forEach((k, p) -> assertThat(stored(cluster.node(3), p, k)).isNull());
      cluster.nodes().forEach(n -> n.setAaeThrottle(4, 2_000));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  missed.forEach(
                      (k, p) ->
                          assertThat(stored(cluster.node(3), p, k))
                              .as("%s on node3", k)
                              .isNotNull()));
      for (KvNode n : cluster.nodes()) {
        assertThat(n.stats().gets()).as("client reads on %s", n.name()).isZero();
      }
    }
  }

  /**
   * Writes {@code count} keys through node1 while its replication to {@code replica} is dropped;
   * returns each key with the partition {@code replica} should hold it in.
   */
  private static Map<BKey, Integer> writesMissedBy(
      KvTestCluster cluster, String replica, String bucket, String prefix, int count) {
    long cut =
        cluster
            .node(1)
            .runtime()
            .interposition()
            .add(
                info -> info.to().equals(replica) && info.message() instanceof ReplicaPutRequest,
                new Interposition.Drop());
    Map<BKey, Integer> missed = new HashMap<>();
    for (int i = 0; missed.size() < count; i++) {
      BKey key = cluster.keyWith(bucket, prefix + i, 3, replica, true);
      if (cluster.primaries(key, 3).get(0).node().equals(replica)) {
        continue; // node1 coordinates; keep the replica one it replicates to
      }
      cluster.node(1).client().put(key, Content.text("v" + i)).join();
      cluster.primaries(key, 3).stream()
          .filter(r -> r.node().equals(replica))
          .forEach(r -> missed.put(key, r.partition()));
    }
    cluster.node(1).runtime().interposition().remove(cut);
    return missed;
  }
}
