package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.client.PbErrorException;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests over the PB API are timed where HTTP's are (docs/http.md "Status", docs/console.md
 * "latency"): a real node in the test JVM (RocksDB, HTTP and PB on real TCP), the project's {@link
 * PbClient}: {@code kv_request_seconds{api="pb"}} counts PB gets and puts per outcome, an error is
 * tagged with its kind, HTTP's series stay apart, and the console's latency rows show both APIs.
 */
class PbRequestMetricsTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static PbClient client;
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    cluster = HttpTestCluster.start(dir, 1, Map.of("console.interval_ms", "200"));
    client =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", cluster.pbPort(1))),
            PbClientSettings.defaults().withEventLoopThreads(1));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** The count of one series of kv_request_seconds on /metrics, or -1 when it is not there. */
  private static long count(String api, String op, String outcome) throws Exception {
    String metrics = cluster.get(cluster.url(1) + "/metrics").body();
    Matcher m =
        Pattern.compile(
                "kv_request_seconds_count\\{api=\""
                    + api
                    + "\",node=\"node1\",op=\""
                    + op
                    + "\",outcome=\""
                    + outcome
                    + "\"} ([0-9.eE+]+)")
            .matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  private static JsonNode latencyRow(JsonNode snapshot, String api, String op) {
    for (JsonNode row : snapshot.get("latency")) {
      if (row.get("node").asText().equals("node1")
          && row.get("api").asText().equals(api)
          && row.get("op").asText().equals(op)) {
        return row;
      }
    }
    return null;
  }

  private static JsonNode snapshot() throws Exception {
    var r = cluster.get(cluster.url(1) + "/console/api/snapshot");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void pbRequestsAreInTheMetricsAndTheConsole() throws Exception {
    // Registered up front for both APIs: dashboards see them before the first request.
    assertThat(count("pb", "get", "ok")).isZero();
    assertThat(count("pb", "put", "ok")).isZero();
    assertThat(count("http", "get", "ok")).isZero();

    int puts = 12;
    for (int i = 0; i < puts; i++) {
      client
          .put(
              0,
              RpbPutReq.newBuilder()
                  .setBucket(utf8("pbm"))
                  .setKey(utf8("k" + i))
                  .setContent(RpbContent.newBuilder().setValue(utf8("v" + i)))
                  .build())
          .get(10, TimeUnit.SECONDS);
    }
    int gets = 2 * puts; // half of them of keys that do not exist: ok, as over HTTP
    for (int i = 0; i < gets; i++) {
      RpbGetReq get = RpbGetReq.newBuilder().setBucket(utf8("pbm")).setKey(utf8("k" + i)).build();
      assertThat(client.get(0, get).get(10, TimeUnit.SECONDS).getContentCount())
          .isEqualTo(i < puts ? 1 : 0);
    }
    RpbGetReq unknownType =
        RpbGetReq.newBuilder()
            .setType(utf8("no-such-type"))
            .setBucket(utf8("pbm"))
            .setKey(utf8("k0"))
            .build();
    assertThatThrownBy(() -> client.get(0, unknownType).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PbErrorException.class);

    // Each request is recorded before its answer is written, so the counts are there now.
    assertThat(count("pb", "put", "ok")).isEqualTo(puts);
    assertThat(count("pb", "get", "ok")).isEqualTo(gets);
    assertThat(count("pb", "get", "bucket_type_unknown")).isEqualTo(1);
    assertThat(count("http", "get", "ok")).as("HTTP's series stay HTTP's").isZero();
    assertThat(count("http", "put", "ok")).isZero();

    var r = cluster.get(cluster.url(1) + "/buckets/pbm/keys/k0");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(count("http", "get", "ok")).isEqualTo(1);
    assertThat(count("pb", "get", "ok")).isEqualTo(gets);

    // The console: one row per API and operation, every outcome together.
    JsonNode snap =
        await()
            .atMost(HttpTestCluster.WAIT)
            .until(
                PbRequestMetricsTest::snapshot,
                s -> {
                  JsonNode g = latencyRow(s, "pb", "get");
                  return g != null && g.get("count").asLong() == gets + 1;
                });
    JsonNode pbGet = latencyRow(snap, "pb", "get");
    assertThat(pbGet.get("p50_ms").asDouble()).isPositive();
    assertThat(pbGet.get("p99_ms").asDouble())
        .isGreaterThanOrEqualTo(pbGet.get("p50_ms").asDouble());
    assertThat(latencyRow(snap, "pb", "put").get("count").asLong()).isEqualTo(puts);
    assertThat(latencyRow(snap, "http", "get").get("count").asLong()).isEqualTo(1);
    assertThat(latencyRow(snap, "http", "put").get("count").asLong()).isZero();
    assertThat(latencyRow(snap, "pb", "delete").get("count").asLong()).isZero();
    for (JsonNode row : snap.get("latency")) {
      assertThat(row.get("api").asText()).isIn("http", "pb");
      assertThat(row.fieldNames())
          .toIterable()
          .containsExactly("node", "api", "op", "count", "p50_ms", "p95_ms", "p99_ms");
    }
  }
}
