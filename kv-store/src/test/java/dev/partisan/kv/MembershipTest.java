package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes that join through the claimant get the ring, and vnodes follow ownership. */
class MembershipTest {
  @TempDir Path dir;

  static Set<Integer> owned(KvNode node) {
    Set<Integer> out = new TreeSet<>();
    for (int p = 0; p < node.ring().ring().ringSize(); p++) {
      if (node.ring().owns(node.name(), p)) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void joiningNodesGetTheRingAndTheirShareOfPartitions() {
    try (KvTestCluster cluster = new KvTestCluster(dir, b -> b)) {
      KvNode node1 = cluster.startNode("node1");
      assertThat(owned(node1)).hasSize(16);
      // Written before anyone joined: handoff moves it with its partition.
      node1
          .client()
          .put(
              BKey.of("m", "before"),
              Content.text("x"),
              CausalContext.EMPTY,
              RequestOptions.defaults().nVal(1).w(1))
          .join();
      KvNode node2 = cluster.startNode("node2");
      KvNode node3 = cluster.startNode("node3");
      var seed = node1.runtime().self();
      node2.join(seed.host(), seed.port()).join();
      // node3 joins through node2, which is not the claimant: node2 relays the request.
      var other = node2.runtime().self();
      node3.join(other.host(), other.port()).join();

      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> {
                for (KvNode n : cluster.nodes()) {
                  assertThat(n.ring().ring()).isEqualTo(node1.ring().ring());
                  assertThat(n.ring().ring().members()).hasSize(3);
                }
                // Every move completed (handoff) and was finalised.
                assertThat(node1.ring().ring().transfers()).isEmpty();
                assertThat(owned(node2)).isNotEmpty();
                assertThat(owned(node3)).isNotEmpty();
              });
      // Vnodes follow ownership: owned partitions run, empty unowned ones retire.
      await()
          .atMost(KvTestCluster.WAIT)
          .untilAsserted(
              () -> {
                for (KvNode n : cluster.nodes()) {
                  Set<Integer> expected = new TreeSet<>(owned(n));
                  for (int p = 0; p < 16; p++) {
                    if (!n.backend().isEmpty(p)) {
                      expected.add(p);
                    }
                  }
                  assertThat(n.vnodes().running()).as(n.name()).isEqualTo(expected);
                }
              });
      assertThat(
              node3
                  .client()
                  .get(BKey.of("m", "before"), RequestOptions.defaults().nVal(1).r(1))
                  .join()
                  .value()
                  .valueAsString())
          .isEqualTo("x");
      BKey key = BKey.of("m", "after");
      node3.client().put(key, Content.text("spread")).join();
      assertThat(node2.client().get(key).join().value().valueAsString()).isEqualTo("spread");
    }
  }

  @Test
  void aJoinRequestForAnUnknownNodeIsRefused() {
    try (KvTestCluster cluster = new KvTestCluster(dir, b -> b)) {
      KvNode node1 = cluster.startNode("node1");
      KvNode node2 = cluster.startNode("node2");
      var seed = node1.runtime().self();
      node2.runtime().join(seed.host(), seed.port()).join();
      // A name that is not in the overlay cannot be added by a stray request.
      var answer =
          (dev.partisan.kv.ring.RingMessages.JoinReply)
              node2
                  .runtime()
                  .ask(
                      dev.partisan.runtime.ActorRef.of(
                          "node1", dev.partisan.kv.ring.RingManager.NAME),
                      new dev.partisan.kv.ring.RingMessages.JoinRequest("ghost"),
                      java.time.Duration.ofSeconds(5),
                      dev.partisan.runtime.SendOptions.on("default"))
                  .join();
      assertThat(answer.accepted()).isFalse();
      assertThat(answer.message()).contains("has not joined");
      assertThat(node1.ring().ring().members()).containsOnlyKeys("node1");
    }
  }
}
