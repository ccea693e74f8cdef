package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.errorOf;
import static dev.partisan.kv.KvTestCluster.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.replica.VnodeMessages.GetRequest;
import dev.partisan.kv.replica.VnodeMessages.ReplicaPutRequest;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.interpose.Interposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes under faults injected through the runtime's interposition API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultTest {
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

  @AfterEach
  void heal() {
    for (KvNode n : cluster.nodes()) {
      n.runtime().interposition().heal();
    }
    for (KvNode a : cluster.nodes()) {
      for (KvNode b : cluster.nodes()) {
        cluster.awaitUp(a, b.name(), true);
      }
    }
  }

  KvClient client(int i) {
    return cluster.node(i).client();
  }

  int partitionOn(BKey key, String node) {
    return cluster.primaries(key, 3).stream()
        .filter(r -> r.node().equals(node))
        .mapToInt(Replica::partition)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void quorumsThatTooFewNodesCanMeetFailWithTheirOwnError() {
    BKey key = cluster.keyOnDistinctNodes("unmet", "k", 3);
    KvNode node1 = cluster.node(1);
    node1.runtime().interposition().partition(Set.of("node2", "node3"));
    cluster.awaitUp(node1, "node2", false);
    cluster.awaitUp(node1, "node3", false);
    RequestOptions o = RequestOptions.defaults();
    Content v = Content.text("alone");
    assertThat(errorOf(() -> client(1).put(key, v, CausalContext.EMPTY, o.w(2)).join()))
        .isEqualTo(KvError.W_UNMET);
    assertThat(errorOf(() -> client(1).put(key, v, CausalContext.EMPTY, o.w(1).dw(2)).join()))
        .isEqualTo(KvError.DW_UNMET);
    assertThat(errorOf(() -> client(1).put(key, v, CausalContext.EMPTY, o.w(1).dw(1).pw(2)).join()))
        .isEqualTo(KvError.PW_UNMET);
    assertThat(errorOf(() -> client(1).get(key, o.r(2)).join())).isEqualTo(KvError.R_UNMET);
    assertThat(errorOf(() -> client(1).get(key, o.r(1).pr(2)).join())).isEqualTo(KvError.PR_UNMET);
    try {
      client(1).get(key, o.r(Quorum.ALL)).join();
    } catch (java.util.concurrent.CompletionException e) {
      KvException k = (KvException) e.getCause();
      assertThat(k.report().replicas()).isEqualTo(1);
      assertThat(k.report().required()).isEqualTo(3);
    }
    // A sloppy quorum of one still works.
    PutResult p = client(1).put(key, v, CausalContext.EMPTY, o.w(1).dw(1)).join();
    assertThat(p.report().replicas()).isEqualTo(1);
    assertThat(client(1).get(key, o.r(1)).join().value().valueAsString()).isEqualTo("alone");
  }

  @Test
  void lostRepliesMakeATimeoutDistinctFromUnmetQuorums() {
    BKey key = cluster.keyWith("timeout", "k", 3, "node1", true);
    // Requests vanish on arrival at node2 and node3: sends succeed, answers never come.
    for (int i = 2; i <= 3; i++) {
      cluster
          .node(i)
          .runtime()
          .interposition()
          .add(
              info ->
                  info.direction() == Interposition.Direction.INBOUND
                      && (info.message() instanceof ReplicaPutRequest
                          || info.message() instanceof GetRequest),
              new Interposition.Drop());
    }
    RequestOptions fast = RequestOptions.defaults().timeout(Duration.ofMillis(500));
    Content x = Content.text("x");
    assertThat(errorOf(() -> client(1).put(key, x, CausalContext.EMPTY, fast.w(3)).join()))
        .isEqualTo(KvError.TIMEOUT);
    PutResult one = client(1).put(key, x, CausalContext.EMPTY, fast.w(1).dw(1)).join();
    assertThat(one.report().acks()).isEqualTo(1);
    assertThat(errorOf(() -> client(1).get(key, fast.r(3)).join())).isEqualTo(KvError.TIMEOUT);
    assertThat(client(1).get(key, fast.r(1)).join().found()).isTrue();
  }

  @Test
  void readRepairFixesStaleAndMissingReplicas() {
    BKey key = cluster.keyWith("repair", "stale", 3, "node1", true);
    int onNode3 = partitionOn(key, "node3");
    int onNode1 = partitionOn(key, "node1");
    KvNode node3 = cluster.node("node3");
    client(1)
        .put(key, Content.text("v1"), CausalContext.EMPTY, RequestOptions.defaults().w(3))
        .join();
    CausalContext ctx = client(1).get(key).join().context();
    var rules = cluster.node(1).runtime().interposition();
    long cut =
        rules.add(
            info -> info.to().equals("node3") && info.message() instanceof ReplicaPutRequest,
            new Interposition.Drop());
    client(1).put(key, Content.text("v2"), ctx, RequestOptions.defaults().w(2)).join();
    BKey missing = cluster.keyWith("repair", "missing", 3, "node1", true);
    client(1)
        .put(missing, Content.text("m"), CausalContext.EMPTY, RequestOptions.defaults().w(2))
        .join();
    assertThat(new String(stored(node3, onNode3, key).liveSiblings().get(0).value()))
        .isEqualTo("v1");
    assertThat(stored(node3, partitionOn(missing, "node3"), missing)).isNull();
    rules.remove(cut);

    long repairsBefore = cluster.node(1).stats().readRepairs();
    assertThat(client(1).get(key).join().value().valueAsString()).isEqualTo("v2");
    assertThat(client(1).get(missing).join().value().valueAsString()).isEqualTo("m");
    KvObject reference = stored(cluster.node(1), onNode1, key);
    await()
        .atMost(KvTestCluster.WAIT)
        .untilAsserted(
            () -> {
              assertThat(stored(node3, onNode3, key).sameVersion(reference)).isTrue();
              assertThat(stored(node3, partitionOn(missing, "node3"), missing)).isNotNull();
            });
    assertThat(cluster.node(1).stats().readRepairs()).isGreaterThanOrEqualTo(repairsBefore + 2);
  }
}
