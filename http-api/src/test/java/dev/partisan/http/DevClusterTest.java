package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.http.config.ClusterSecretSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newcomer's cluster forms one ring by itself, and forms again from its data after a stop. */
class DevClusterTest {
  @TempDir Path dir;

  @Test
  void formsARingAndRestartsFromItsData() throws Exception {
    Map<String, String> base = Map.of("kv.ring_size", "16", "kv.ring_tick_ms", "100");
    var layout = new DevCluster.Layout(2, 0, 0, dir);
    HttpClient http = HttpClient.newHttpClient();
    String key;
    Path secretFile = dir.resolve("cluster.secret");
    String secret;
    try (DevCluster c = DevCluster.start(base, layout)) {
      assertThat(c.nodes()).hasSize(2);
      // One generated secret for the whole dev cluster, in its root folder, for every node.
      assertThat(c.secretSource()).isEqualTo(new ClusterSecretSource.Generated(secretFile));
      secret = Files.readString(secretFile).strip();
      assertThat(secret).hasSize(43);
      for (NodeLauncher n : c.nodes()) {
        assertThat(n.kv().runtime().config().clusterSecret()).asString().isEqualTo(secret);
      }
      for (NodeLauncher n : c.nodes()) {
        assertThat(n.kv().ring().ring().members()).containsOnlyKeys("node1", "node2");
      }
      key = "http://127.0.0.1:" + c.nodes().get(0).httpPort() + "/buckets/dev/keys/k";
      var put =
          http.send(
              HttpRequest.newBuilder(URI.create(key))
                  .PUT(HttpRequest.BodyPublishers.ofString("v"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(204);
    }
    try (DevCluster c = DevCluster.start(base, layout)) {
      assertThat(c.strangers()).isEmpty();
      assertThat(c.nodes().get(1).kv().runtime().config().clusterSecret())
          .asString()
          .as("a restart keeps the secret")
          .isEqualTo(secret);
      String again = "http://127.0.0.1:" + c.nodes().get(1).httpPort() + "/buckets/dev/keys/k";
      var get =
          http.send(
              HttpRequest.newBuilder(URI.create(again)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("v");
    }
  }

  @Test
  void theOverlayLaysOutEachNodesSettings() {
    var layout = new DevCluster.Layout(3, 8098, 9000, dir);
    Map<String, String> node2 = DevCluster.settings(Map.of("overlay", "static"), layout, 2);
    assertThat(node2).containsEntry("overlay.static_peers", "127.0.0.1:9000,127.0.0.1:9002");
    Map<String, String> cs = Map.of("overlay", "client-server");
    assertThat(DevCluster.settings(cs, layout, 1)).containsEntry("overlay.role", "server");
    assertThat(DevCluster.settings(cs, layout, 2)).containsEntry("overlay.role", "client");
    assertThat(DevCluster.settings(Map.of(), layout, 2)).doesNotContainKeys("overlay.role");
  }
}
