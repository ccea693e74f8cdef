package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmet quorums and timeouts through HTTP: 503 with riak's reason, with a node stopped or cut off.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumHttpTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aPartitionedCoordinatorTimesOutOrFailsItsQuorumWith503() throws Exception {
    String key = cluster.keyWith("q", "node1", true);
    // node1 cut off from both others: a write needing all three replicas cannot succeed.
    var cut = cluster.post(cluster.url(1) + "/admin/faults/partition?nodes=node2,node3", "");
    assertThat(cut.statusCode()).isEqualTo(200);
    try {
      var r =
          cluster.put(
              cluster.url(1) + "/buckets/q/keys/" + key + "?w=all&pw=3&timeout=500",
              "v",
              "Content-Type",
              "text/plain");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).containsAnyOf("timeout", "w_val_unsatisfied", "pw_val_unsatisfied");
    } finally {
      assertThat(cluster.post(cluster.url(1) + "/admin/faults/heal", "").statusCode())
          .isEqualTo(200);
    }
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                cluster.runtime(1).overlay().isUp("node2")
                    && cluster.runtime(1).overlay().isUp("node3"));
  }

  @Test
  @Order(2)
  void withANodeStoppedPrimaryQuorumsFailButSloppyOnesSucceed() throws Exception {
    String key = cluster.keyWith("q", "node3", true);
    String url = cluster.url(1) + "/buckets/q/keys/" + key;
    assertThat(cluster.put(url + "?w=all", "before", "Content-Type", "text/plain").statusCode())
        .isEqualTo(204);

    cluster.stop(3);
    await().atMost(HttpTestCluster.WAIT).until(() -> !cluster.runtime(1).overlay().isUp("node3"));

    var pw = cluster.put(url + "?pw=3", "x", "Content-Type", "text/plain");
    assertThat(pw.statusCode()).isEqualTo(503);
    assertThat(pw.body()).startsWith("pw_val_unsatisfied");

    var pr = cluster.get(url + "?pr=all");
    assertThat(pr.statusCode()).isEqualTo(503);
    assertThat(pr.body()).startsWith("pr_val_unsatisfied");

    // The two live replicas still make a quorum (three nodes leave no fallback for node3).
    var w = cluster.put(url + "?w=2&dw=2", "after", "Content-Type", "text/plain");
    assertThat(w.statusCode()).isEqualTo(204);
    var r = cluster.get(cluster.url(2) + "/buckets/q/keys/" + key + "?r=2");
    // Writes without a context are siblings of what is stored (the failed pw=3 write too: like
    // riak, a write that misses its quorum may still have reached some replicas).
    assertThat(r.statusCode()).isEqualTo(300);
    assertThat(r.body()).startsWith("Siblings:");
    var all = cluster.get(cluster.url(2) + "/buckets/q/keys/" + key + "?r=all");
    assertThat(all.statusCode()).isEqualTo(503);
    assertThat(all.body()).startsWith("r_val_unsatisfied");

    // Deletes report quorum failures the same way.
    var d = cluster.delete(url + "?pw=3");
    assertThat(d.statusCode()).isEqualTo(503);
  }
}
