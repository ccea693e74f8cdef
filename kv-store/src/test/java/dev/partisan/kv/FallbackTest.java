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

/**
 * Four nodes: a primary is cut off, writes land on fallbacks, reads still succeed; when the primary
 * is back, hinted handoff returns the data to it and the fallbacks drop their copies.
 */
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
  void writesGoToAFallbackWhileAPrimaryIsDownAndHintedHandoffReturnsThem() {
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

    // More writes while node4 is away: every key with a node4 primary goes to a fallback.
    java.util.Map<BKey, Integer> hinted = new java.util.HashMap<>();
    java.util.List<java.util.concurrent.CompletableFuture<PutResult>> writes =
        new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      BKey k = BKey.of("fallback", "more-" + i);
      cluster.primaries(k, 3).stream()
          .filter(r -> r.node().equals("node4"))
          .findFirst()
          .ifPresent(r -> hinted.put(k, r.partition()));
      writes.add(client.put(k, Content.text("v" + i)));
    }
    writes.forEach(java.util.concurrent.CompletableFuture::join);
    hinted.put(key, node4Partition);
    java.util.Set<Integer> fallbackPartitions = new java.util.TreeSet<>(hinted.values());
    assertThat(hinted).hasSizeGreaterThan(50);

    // The primary returns: hinted handoff gives it the data and the fallbacks drop their copies,
    // with no client read involved.
    cluster.node(4).runtime().interposition().heal();
    for (int i = 1; i <= 3; i++) {
      cluster.awaitUp(cluster.node(i), "node4", true);
    }
    await()
        .atMost(KvTestCluster.WAIT)
        .untilAsserted(
            () -> {
              for (var e : hinted.entrySet()) {
                assertThat(stored(cluster.node(4), e.getValue(), e.getKey()))
                    .as("%s on node4", e.getKey())
                    .isNotNull();
              }
              for (int i = 1; i <= 3; i++) {
                KvNode n = cluster.node(i);
                for (int p : fallbackPartitions) {
                  if (!n.ring().owns(n.name(), p)) {
                    assertThat(n.backend().isEmpty(p))
                        .as("fallback copy of %d on %s", p, n.name())
                        .isTrue();
                    assertThat(n.vnodes().running()).doesNotContain(p);
                  }
                }
              }
            });
    assertThat(
            cluster.nodes().stream()
                .flatMap(n -> n.handoffStatus().recent().stream())
                .filter(t -> t.type() == HandoffType.HINTED && t.phase().equals("done"))
                .filter(t -> t.to().equals("node4")))
        .isNotEmpty();
    GetResult all = client.get(key, RequestOptions.defaults().r(3).pr(3)).join();
    assertThat(all.value().valueAsString()).isEqualTo("hinted");
  }
}
