package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's JSON snapshot and event stream (docs/console.md) on three real nodes: real HTTP,
 * real TCP between the nodes, RocksDB.
 */
class ConsoleApiTest {
  private static final int INTERVAL_MS = 300;
  private static final int MAX_STREAMS = 2;
  private static final Pattern DATA = Pattern.compile("event: snapshot\ndata: (\\{.*?})\n\n");

  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    cluster =
        HttpTestCluster.start(
            dir,
            3,
            Map.of(
                "console.interval_ms", Integer.toString(INTERVAL_MS),
                "console.max_streams", Integer.toString(MAX_STREAMS)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static JsonNode snapshot(int node) throws Exception {
    var r = cluster.get(cluster.url(node) + "/console/api/snapshot");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return json.readTree(r.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(field == null ? n.asText() : n.get(field).asText()));
    return out;
  }

  @Test
  void theSnapshotShowsEveryMemberTheOverlayTheRingAndEachNodesActivity() throws Exception {
    JsonNode first = snapshot(1);
    assertThat(first.get("version").asInt()).isEqualTo(1);
    assertThat(first.get("node").asText()).isEqualTo("node1");
    assertThat(first.get("interval_ms").asInt()).isEqualTo(INTERVAL_MS);
    assertThat(first.get("admin").asBoolean()).isTrue();
    assertThat(first.get("security").asBoolean()).isFalse();
    assertThat(first.get("overlay").asText()).isEqualTo("full-mesh");
    assertThat(texts(first.get("members"), "node")).containsExactly("node1", "node2", "node3");
    int owned = 0;
    for (JsonNode m : first.get("members")) {
      assertThat(m.get("status").asText()).isEqualTo("valid");
      assertThat(m.get("reachable").asBoolean()).isTrue();
      assertThat(m.get("reported").asBoolean()).isTrue();
      assertThat(m.get("pending_partitions").asInt()).isEqualTo(m.get("partitions").asInt());
      owned += m.get("partitions").asInt();
    }
    assertThat(first.get("unreported")).isEmpty();
    assertThat(texts(first.get("graph").get("nodes"), null))
        .containsExactly("node1", "node2", "node3");
    Set<String> edges = new TreeSet<>();
    first
        .get("graph")
        .get("edges")
        .forEach(e -> edges.add(e.get("from").asText() + ">" + e.get("to").asText()));
    assertThat(edges)
        .containsExactly(
            "node1>node2",
            "node1>node3",
            "node2>node1",
            "node2>node3",
            "node3>node1",
            "node3>node2");
    JsonNode ring = first.get("ring");
    int size = cluster.node(1).ring().ring().ringSize();
    assertThat(ring.get("size").asInt()).isEqualTo(size);
    assertThat(owned).isEqualTo(size);
    assertThat(ring.get("version").asLong()).isPositive();
    assertThat(ring.get("claimant").asText()).isEqualTo(cluster.node(1).ring().ring().claimant());
    assertThat(ring.get("partitions")).hasSize(size);
    for (int p = 0; p < size; p++) {
      JsonNode part = ring.get("partitions").get(p);
      assertThat(part.get("index").asInt()).isEqualTo(p);
      assertThat(part.get("owner").asText()).isEqualTo(cluster.node(1).ring().ring().owner(p));
      assertThat(part.get("next_owner").isNull()).isTrue();
    }
    assertThat(texts(first.get("handoff"), "node")).containsExactly("node1", "node2", "node3");
    assertThat(texts(first.get("aae"), "node")).containsExactly("node1", "node2", "node3");
    for (JsonNode h : first.get("handoff")) {
      assertThat(h.get("transfer_limit").asInt()).isPositive();
      assertThat(h.get("active").isArray()).isTrue();
      assertThat(h.get("bytes_per_s").asDouble()).isNotNegative();
    }
    assertThat(first.get("faults").get("node").asText()).isEqualTo("node1");
    assertThat(first.get("faults").get("partitioned_from")).isEmpty();
    assertThat(texts(first.get("traffic"), "node")).contains("node1", "node2", "node3");

    // A burst of PUTs through node1: its request lanes to both peers carry traffic between the
    // two samples, and its latency rows count the requests.
    int puts = 60;
    for (int i = 0; i < puts; i++) {
      var r =
          cluster.put(
              cluster.url(1) + "/buckets/console/keys/k" + i,
              "v" + i,
              "Content-Type",
              "text/plain");
      assertThat(r.statusCode()).isEqualTo(204);
    }
    long before = first.get("time_ms").asLong();
    JsonNode next =
        await()
            .atMost(HttpTestCluster.WAIT)
            .until(() -> snapshot(1), s -> s.get("time_ms").asLong() > before);
    for (String peer : List.of("node2", "node3")) {
      double rate = 0;
      for (JsonNode t : next.get("traffic")) {
        if (t.get("node").asText().equals("node1")
            && t.get("peer").asText().equals(peer)
            && t.get("channel").asText().equals("request")) {
          rate += t.get("messages_per_s").asDouble();
          assertThat(t.get("bytes_per_s").asDouble()).isNotNegative();
          assertThat(t.get("send_wait_ms").asDouble()).isNotNegative();
          assertThat(t.get("class").asText()).isEqualTo("latency");
        }
      }
      assertThat(rate).as("request messages/s node1 -> %s", peer).isPositive();
    }
    JsonNode put = null;
    for (JsonNode l : next.get("latency")) {
      if (l.get("node").asText().equals("node1")
          && l.get("api").asText().equals("http")
          && l.get("op").asText().equals("put")) {
        assertThat(put).as("one row per node, api and op").isNull();
        put = l;
      }
    }
    assertThat(put).isNotNull();
    assertThat(put.get("count").asLong()).isGreaterThanOrEqualTo(puts);
    assertThat(put.get("p50_ms").asDouble()).isPositive();
    assertThat(put.get("p95_ms").asDouble()).isGreaterThanOrEqualTo(put.get("p50_ms").asDouble());
    assertThat(put.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(put.get("p95_ms").asDouble());
    assertThat(texts(next.get("latency"), "op")).contains("get", "put", "delete");
    // Both client APIs have their rows (PB's counted by PbRequestMetricsTest).
    assertThat(texts(next.get("latency"), "api")).containsOnly("http", "pb");
  }

  /** An open event stream on a raw socket (so closing it is a real disconnect). */
  static final class Stream implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final StringBuilder text = new StringBuilder();

    Stream(int node) throws IOException {
      int port =
          Integer.parseInt(cluster.url(node).substring(cluster.url(node).lastIndexOf(':') + 1));
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(15_000);
      socket
          .getOutputStream()
          .write(
              ("GET /console/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      in = socket.getInputStream();
    }

    /** Reads until {@code n} snapshot events have arrived (or the server closes); their data. */
    List<JsonNode> events(int n) throws IOException {
      byte[] buf = new byte[65536];
      while (true) {
        List<JsonNode> found = new ArrayList<>();
        Matcher m = DATA.matcher(text);
        while (m.find()) {
          found.add(json.readTree(m.group(1)));
        }
        if (found.size() >= n) {
          return found;
        }
        int read = in.read(buf);
        if (read < 0) {
          return found;
        }
        text.append(new String(buf, 0, read, StandardCharsets.UTF_8));
      }
    }

    /** Reads until {@code marker} has arrived (or the server closes); everything read. */
    String readUntil(String marker) throws IOException {
      byte[] buf = new byte[8192];
      while (text.indexOf(marker) < 0) {
        int read = in.read(buf);
        if (read < 0) {
          break;
        }
        text.append(new String(buf, 0, read, StandardCharsets.UTF_8));
      }
      return text.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void theEventStreamSendsSnapshotsWithIncreasingTimesAndIsLimitedPerNode() throws Exception {
    try (Stream a = new Stream(2)) {
      List<JsonNode> events = a.events(2);
      assertThat(a.text.toString()).startsWith("HTTP/1.1 200").contains("text/event-stream");
      assertThat(events).hasSizeGreaterThanOrEqualTo(2);
      assertThat(events.get(0).get("version").asInt()).isEqualTo(1);
      assertThat(events.get(0).get("node").asText()).isEqualTo("node2");
      assertThat(events.get(1).get("time_ms").asLong())
          .isGreaterThan(events.get(0).get("time_ms").asLong());
      try (Stream b = new Stream(2)) {
        assertThat(b.events(1)).hasSize(1);
        try (Stream c = new Stream(2)) {
          String refused = c.readUntil("console.max_streams=");
          assertThat(refused).startsWith("HTTP/1.1 503");
          assertThat(refused).contains("console.max_streams=" + MAX_STREAMS);
        }
      }
    }
    // Both clients went away: the node drops them within an interval and takes new ones.
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () -> {
              try (Stream d = new Stream(2);
                  Stream e = new Stream(2)) {
                // A stream still counted gets 503 (its connection stays open): try again.
                return d.readUntil("\r\n\r\n").startsWith("HTTP/1.1 200")
                    && e.readUntil("\r\n\r\n").startsWith("HTTP/1.1 200")
                    && d.events(1).size() == 1
                    && e.events(1).size() == 1;
              }
            });
  }

  @Test
  void anUnreachableMemberIsShownUnreportedAndTheOthersStillReport() throws Exception {
    cluster.runtime(3).interposition().partition(Set.of("node1", "node2"));
    try {
      JsonNode s =
          await()
              .atMost(HttpTestCluster.WAIT)
              .until(() -> snapshot(1), x -> texts(x.get("unreported"), null).contains("node3"));
      assertThat(texts(s.get("unreported"), null)).containsExactly("node3");
      for (JsonNode m : s.get("members")) {
        assertThat(m.get("reported").asBoolean())
            .as(m.get("node").asText())
            .isEqualTo(!m.get("node").asText().equals("node3"));
      }
      assertThat(texts(s.get("aae"), "node")).containsExactly("node1", "node2");
    } finally {
      cluster.runtime(3).interposition().heal();
    }
    await().atMost(HttpTestCluster.WAIT).until(() -> snapshot(1).get("unreported").isEmpty());
  }

  @Test
  void withoutAdminTheSnapshotSaysSoAndNoActionExists(@TempDir Path other) throws Exception {
    try (HttpTestCluster single = HttpTestCluster.start(other, 1, Map.of("http.admin", "false"))) {
      var r = single.get(single.url(1) + "/console/api/snapshot");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode snap = json.readTree(r.body());
      assertThat(snap.get("admin").asBoolean()).isFalse();
      assertThat(texts(snap.get("members"), "node")).containsExactly("node1");
      // What the page's actions would call is not served at all.
      assertThat(single.post(single.url(1) + "/admin/faults/partition?nodes=x", "").statusCode())
          .isEqualTo(404);
      assertThat(
              single
                  .post(single.url(1) + "/admin/transfer-rate?bytes_per_second=1", "")
                  .statusCode())
          .isEqualTo(404);
      assertThat(single.node(1).handoffRateLimit()).isZero();
    }
  }

  @Test
  void thePageAndAssetsComeFromTheJarAndNothingElse() throws Exception {
    var page = cluster.get(cluster.url(1) + "/console");
    if (getClass().getClassLoader().getResource("console/index.html") == null) {
      assertThat(page.statusCode()).isEqualTo(404);
      assertThat(page.body()).contains("not in this build");
    } else {
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(cluster.get(cluster.url(1) + "/console/").statusCode()).isEqualTo(200);
    }
    for (String bad :
        List.of(
            "/console/assets/../x",
            "/console/assets/%2e%2e%2fx.js",
            "/console/assets/..%2Findex.html",
            "/console/assets/nope.exe",
            "/console/assets/missing.js")) {
      var r = cluster.get(cluster.url(1) + bad);
      assertThat(r.statusCode()).as(bad).isIn(400, 404);
    }
  }
}
