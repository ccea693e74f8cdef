package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    try (DevCluster c = DevCluster.start(base, layout)) {
      assertThat(c.nodes()).hasSize(2);
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
      String again = "http://127.0.0.1:" + c.nodes().get(1).httpPort() + "/buckets/dev/keys/k";
      var get =
          http.send(
              HttpRequest.newBuilder(URI.create(again)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("v");
    }
  }
}
