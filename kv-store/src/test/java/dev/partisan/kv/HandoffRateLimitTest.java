package dev.partisan.kv;

import static dev.partisan.kv.KvTestCluster.assertAllReadable;
import static dev.partisan.kv.KvTestCluster.awaitRingConverged;
import static dev.partisan.kv.KvTestCluster.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound handoff rate limit holds: a node never sends handoff data faster than its limit, all
 * transfers together. Only the lower bound on time is asserted (a slow machine makes transfers
 * slower, never faster), so the test cannot fail on a busy CI machine.
 */
class HandoffRateLimitTest {
  static final long RATE = 10_000; // bytes per second, per sending node

  @TempDir Path dir;

  @Test
  void noNodeSendsHandoffDataFasterThanItsLimit() {
    try (KvTestCluster cluster =
        KvTestCluster.start(
            dir, 3, b -> b.handoffMaxBytesPerSecond(RATE).handoffBatch(20, 2_048))) {
      RequestOptions all = RequestOptions.defaults().w(Quorum.ALL).dw(Quorum.ALL);
      List<BKey> keys = load(cluster.node(1).client(), "rate", "k", 600, 32, all);
      assertThat(cluster.node(1).handoffRateLimit()).isEqualTo(RATE);

      KvNode node4 = cluster.startNode("node4");
      var seed = cluster.node(1).runtime().self();
      long start = System.nanoTime();
      node4.join(seed.host(), seed.port()).join();
      awaitRingConverged(cluster.nodes(), Duration.ofSeconds(90));
      double elapsedSeconds = (System.nanoTime() - start) / 1e9;

      for (KvNode sender : cluster.nodes()) {
        long bytes = sender.handoffStatus().bytesSent();
        // The throttle banks at most 50 ms of idle time as a burst.
        assertThat(elapsedSeconds)
            .as("%s sent %d bytes", sender.name(), bytes)
            .isGreaterThanOrEqualTo(bytes / (double) RATE - 0.05);
      }
      long total = cluster.nodes().stream().mapToLong(n -> n.handoffStatus().bytesSent()).sum();
      assertThat(total).as("the join moved data").isGreaterThan(2 * RATE);
      assertAllReadable(node4.client(), keys, 32);
    }
  }
}
