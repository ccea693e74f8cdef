package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.http.AdminCliTest.Run;
import dev.partisan.ring.MemberStatus;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A join needs the contact's cluster secret: real nodes over loopback, the admin CLI's {@code
 * cluster join} from a node with another secret is refused with a clear error, and neither side's
 * ring or membership changes.
 */
class ClusterSecretJoinTest {
  @TempDir Path dir;

  @Test
  void aNodeGivenAnotherSecretIsRefusedAndNothingChanges() {
    assertRefused(Map.of("cluster.secret", RuntimeConfig.newClusterSecret()));
  }

  @Test
  void aNodeGivenNoSecretGeneratesItsOwnAndIsRefused() {
    // An empty value counts as not set: the node generates a secret in its data folder.
    assertRefused(Map.of("cluster.secret", ""));
    assertThat(dir.resolve("outsider").resolve("cluster.secret")).isNotEmptyFile();
  }

  private void assertRefused(Map<String, String> outsiderSecret) {
    try (HttpTestCluster cluster = HttpTestCluster.start(dir, 2, Map.of())) {
      SortedMap<String, MemberStatus> members = cluster.node(1).ring().ring().members();
      NodeLauncher outsider = cluster.startNode("outsider", outsiderSecret);
      SortedMap<String, MemberStatus> outsiderMembers = outsider.kv().ring().ring().members();
      NodeId seed = cluster.runtime(1).self();

      Run join =
          AdminCliTest.cli(
              "admin", "--url", cluster.url(3), "cluster", "join", seed.host() + ":" + seed.port());

      assertThat(join.exit()).isNotZero();
      assertThat(join.err()).contains("handshake refused: wrong cluster secret?");
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  cluster.node(1).runtime().overlay().members().stream()
                          .noneMatch(n -> n.name().equals("outsider"))
                      && outsider.kv().runtime().overlay().members().stream()
                          .noneMatch(n -> n.name().equals("node1")));
      assertThat(cluster.node(1).ring().ring().members()).isEqualTo(members);
      assertThat(cluster.node(2).ring().ring().members()).isEqualTo(members);
      assertThat(outsider.kv().ring().ring().members())
          .isEqualTo(outsiderMembers)
          .containsOnlyKeys("outsider");
      assertThat(members).containsOnlyKeys("node1", "node2");
    }
  }

  @Test
  void aStartedNodeUsesTheSecretItGeneratedInItsDataFolder() throws Exception {
    try (HttpTestCluster cluster = HttpTestCluster.start(dir, 1, Map.of("cluster.secret", ""))) {
      Path file = dir.resolve("node1").resolve("cluster.secret");
      assertThat(cluster.node(1).runtime().config().clusterSecret())
          .asString()
          .isEqualTo(Files.readString(file).strip());
    }
  }
}
