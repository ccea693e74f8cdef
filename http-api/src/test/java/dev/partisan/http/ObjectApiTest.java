package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object, bucket and status endpoints end to end against a 3-node cluster. */
class ObjectApiTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    // Riak serves a bucket type only once it is created and activated.
    cluster.createActiveType("t1", "{\"props\":{}}");
    cluster.createActiveType("t2", "{\"props\":{}}");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  String url(int node, String path) {
    return cluster.url(node) + path;
  }

  @Test
  void putThenGetFromAnotherNodeKeepsContentTypeMetadataAndContext() throws Exception {
    var put =
        cluster.put(
            url(1, "/buckets/users/keys/alice"),
            "{\"name\":\"Alice\"}",
            "Content-Type",
            "application/json",
            "X-Riak-Meta-Team",
            "blue");
    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(put.headers().firstValue("X-Riak-Vclock")).isPresent();

    var get = cluster.get(url(2, "/buckets/users/keys/alice"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("{\"name\":\"Alice\"}");
    assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(get.headers().firstValue("X-Riak-Meta-team")).hasValue("blue");
    assertThat(get.headers().firstValue("X-Riak-Vclock")).isPresent();
    assertThat(get.headers().firstValue("ETag")).isPresent();
    assertThat(get.headers().firstValue("Last-Modified")).isPresent();

    // HEAD answers the same headers without the body (clients probe with it).
    var head =
        cluster.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url(3, "/buckets/users/keys/alice")))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("X-Riak-Vclock"))
        .isEqualTo(get.headers().firstValue("X-Riak-Vclock"));
    assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));

    // The same ETag answers If-None-Match with 304.
    var again =
        cluster.get(
            url(3, "/buckets/users/keys/alice"),
            "If-None-Match",
            get.headers().firstValue("ETag").orElseThrow());
    assertThat(again.statusCode()).isEqualTo(304);
  }

  @Test
  void missingKeysAre404AndDeleteRemovesAKey() throws Exception {
    assertThat(cluster.get(url(1, "/buckets/nothing/keys/here")).statusCode()).isEqualTo(404);
    assertThat(cluster.delete(url(1, "/buckets/nothing/keys/here")).statusCode()).isEqualTo(404);

    cluster.put(url(1, "/buckets/del/keys/k"), "v", "Content-Type", "text/plain");
    assertThat(cluster.delete(url(2, "/buckets/del/keys/k")).statusCode()).isEqualTo(204);
    assertThat(cluster.get(url(3, "/buckets/del/keys/k")).statusCode()).isEqualTo(404);
  }

  @Test
  void postToABucketCreatesAKeyWithLocation() throws Exception {
    var created =
        cluster.post(
            url(1, "/buckets/posts/keys?returnbody=true"), "hello", "Content-Type", "text/plain");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).isEqualTo("hello");
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/buckets/posts/keys/");
    assertThat(cluster.get(url(2, location)).body()).isEqualTo("hello");
  }

  @Test
  void returnBodyGivesTheValueBack() throws Exception {
    var r =
        cluster.put(
            url(1, "/buckets/rb/keys/k?returnbody=true&w=all"), "body", "Content-Type", "text/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("body");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/x");
  }

  @Test
  void concurrentWritesBecomeSiblingsListedAsTextOrMultipart() throws Exception {
    String key = url(1, "/buckets/sib/keys/k");
    cluster.put(key, "one", "Content-Type", "text/plain");
    cluster.put(url(2, "/buckets/sib/keys/k"), "two", "Content-Type", "text/plain");

    var text = cluster.get(key);
    assertThat(text.statusCode()).isEqualTo(300);
    String[] lines = text.body().split("\n");
    assertThat(lines[0]).isEqualTo("Siblings:");
    assertThat(lines).hasSize(3);
    String vclock = text.headers().firstValue("X-Riak-Vclock").orElseThrow();

    var multi = cluster.get(key, "Accept", "multipart/mixed");
    assertThat(multi.statusCode()).isEqualTo(300);
    String ct = multi.headers().firstValue("Content-Type").orElseThrow();
    assertThat(ct).startsWith("multipart/mixed; boundary=");
    String boundary = ct.substring(ct.indexOf('=') + 1);
    List<String> values = new ArrayList<>();
    for (String part : multi.body().split("\r\n--" + boundary)) {
      int split = part.indexOf("\r\n\r\n");
      if (split >= 0) {
        values.add(part.substring(split + 4));
      }
    }
    assertThat(values).containsExactlyInAnyOrder("one", "two");

    // ?vtag= picks one sibling.
    var one = cluster.get(key + "?vtag=" + lines[1]);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).isIn("one", "two");

    // Writing back with the context resolves them.
    var resolved =
        cluster.put(key, "merged", "Content-Type", "text/plain", "X-Riak-Vclock", vclock);
    assertThat(resolved.statusCode()).isEqualTo(204);
    var after = cluster.get(url(3, "/buckets/sib/keys/k"));
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("merged");
  }

  @Test
  void withoutAllowMultTheNewestWriteWins() throws Exception {
    var props =
        cluster.put(
            url(1, "/buckets/lww/props"),
            "{\"props\":{\"allow_mult\":false}}",
            "Content-Type",
            "application/json");
    assertThat(props.statusCode()).isEqualTo(204);
    org.awaitility.Awaitility.await()
        .atMost(HttpTestCluster.WAIT)
        .until(
            () ->
                JSON.readTree(cluster.get(url(3, "/buckets/lww/props")).body())
                        .at("/props/allow_mult")
                        .asBoolean(true)
                    == false);
    cluster.put(url(1, "/buckets/lww/keys/k"), "first", "Content-Type", "text/plain");
    cluster.put(url(2, "/buckets/lww/keys/k"), "second", "Content-Type", "text/plain");
    var get = cluster.get(url(3, "/buckets/lww/keys/k"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("second");
  }

  @Test
  void bucketTypesAreSeparateNamespaces() throws Exception {
    cluster.put(url(1, "/types/t1/buckets/b/keys/k"), "typed", "Content-Type", "text/plain");
    cluster.put(url(1, "/buckets/b/keys/k"), "plain", "Content-Type", "text/plain");
    assertThat(cluster.get(url(2, "/types/t1/buckets/b/keys/k")).body()).isEqualTo("typed");
    assertThat(cluster.get(url(2, "/types/default/buckets/b/keys/k")).body()).isEqualTo("plain");
    assertThat(cluster.get(url(2, "/buckets/b/keys/k")).body()).isEqualTo("plain");
  }

  @Test
  void conditionalWritesAnswer412() throws Exception {
    String key = url(1, "/buckets/cond/keys/k");
    assertThat(cluster.put(key, "a", "If-None-Match", "*").statusCode()).isEqualTo(204);
    assertThat(cluster.put(key, "b", "If-None-Match", "*").statusCode()).isEqualTo(412);
    assertThat(cluster.put(key, "b", "If-Match", "\"not-the-tag\"").statusCode()).isEqualTo(412);
    String etag = cluster.get(key).headers().firstValue("ETag").orElseThrow();
    assertThat(cluster.put(key, "b", "If-Match", etag).statusCode()).isEqualTo(204);
  }

  @Test
  void keysAreBytesEncodedSlashesAndNonUtf8Included() throws Exception {
    String slash = url(1, "/buckets/odd/keys/a%2Fb%20c+d");
    assertThat(cluster.put(slash, "slash", "Content-Type", "text/plain").statusCode())
        .isEqualTo(204);
    assertThat(cluster.get(url(2, "/buckets/odd/keys/a%2Fb%20c+d")).body()).isEqualTo("slash");
    // Not the same key as a real path separator or a decoded plus.
    assertThat(cluster.get(url(2, "/buckets/odd/keys/a%2Fb%20c%20d")).statusCode()).isEqualTo(404);

    String binary = url(1, "/buckets/odd/keys/%FF%FEx");
    assertThat(cluster.put(binary, "bin", "Content-Type", "text/plain").statusCode())
        .isEqualTo(204);
    assertThat(cluster.get(url(2, "/buckets/odd/keys/%FF%FEx")).body()).isEqualTo("bin");
    String latin = url(1, "/buckets/odd/keys/%E9t%E9");
    assertThat(cluster.put(latin, "latin1", "Content-Type", "text/plain").statusCode())
        .isEqualTo(204);
    assertThat(cluster.get(url(3, "/buckets/odd/keys/%E9t%E9")).body()).isEqualTo("latin1");

    // Listed as text, or percent-encoded when the key is not UTF-8.
    List<String> listed = new ArrayList<>();
    JSON.readTree(cluster.get(url(1, "/buckets/odd/keys?keys=true")).body())
        .get("keys")
        .forEach(n -> listed.add(n.asText()));
    assertThat(listed).containsExactlyInAnyOrder("a/b c+d", "%FF%FEx", "%E9t%E9");
  }

  @Test
  void bucketPropertiesReadAndChange() throws Exception {
    JsonNode before = JSON.readTree(cluster.get(url(1, "/buckets/p/props")).body());
    assertThat(before.at("/props/n_val").asInt()).isEqualTo(3);
    assertThat(before.at("/props/allow_mult").asBoolean()).isTrue();
    assertThat(before.at("/props/r").asText()).isEqualTo("quorum");

    var put =
        cluster.put(
            url(1, "/types/t2/buckets/p/props"),
            "{\"props\":{\"n_val\":2,\"r\":1,\"w\":\"all\"}}",
            "Content-Type",
            "application/json");
    assertThat(put.statusCode()).isEqualTo(204);
    JsonNode after = JSON.readTree(cluster.get(url(1, "/types/t2/buckets/p/props")).body());
    assertThat(after.at("/props/n_val").asInt()).isEqualTo(2);
    assertThat(after.at("/props/r").asInt()).isEqualTo(1);
    assertThat(after.at("/props/w").asText()).isEqualTo("all");
    // Other buckets keep the defaults.
    assertThat(
            JSON.readTree(cluster.get(url(1, "/buckets/p/props")).body())
                .at("/props/n_val")
                .asInt())
        .isEqualTo(3);

    for (String bad :
        List.of(
            "not json",
            "{\"props\":{\"n_val\":0}}",
            "{\"props\":{\"n_val\":\"three\"}}",
            "{\"props\":{\"colour\":1}}",
            "{\"props\":{\"r\":\"most\"}}",
            "[1,2]")) {
      assertThat(cluster.put(url(1, "/buckets/p/props"), bad).statusCode()).as(bad).isEqualTo(400);
    }
  }

  @Test
  void listsEveryKeyOnceStreamingOrNot() throws Exception {
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String k = "key-" + i;
      written.add(k);
      assertThat(
              cluster
                  .put(url(1 + i % 3, "/buckets/list/keys/" + k), "v", "Content-Type", "text/plain")
                  .statusCode())
          .isEqualTo(204);
    }
    cluster.delete(url(1, "/buckets/list/keys/key-0"));
    written.remove("key-0");

    var all = cluster.get(url(2, "/buckets/list/keys?keys=true"));
    assertThat(all.statusCode()).isEqualTo(200);
    List<String> keys = new ArrayList<>();
    JSON.readTree(all.body()).get("keys").forEach(n -> keys.add(n.asText()));
    assertThat(keys).hasSize(written.size()).containsExactlyInAnyOrderElementsOf(written);

    var stream = cluster.get(url(3, "/buckets/list/keys?keys=stream"));
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> streamed = new ArrayList<>();
    var parser = JSON.createParser(stream.body());
    var it = JSON.readValues(parser, JsonNode.class);
    while (it.hasNext()) {
      it.next().get("keys").forEach(n -> streamed.add(n.asText()));
    }
    assertThat(streamed).containsExactlyInAnyOrderElementsOf(written);

    assertThat(cluster.get(url(1, "/buckets/list/keys")).statusCode()).isEqualTo(400);
    assertThat(
            JSON.readTree(cluster.get(url(1, "/buckets/empty/keys?keys=true")).body()).get("keys"))
        .isEmpty();
  }

  @Test
  void pingStatsAndMetrics() throws Exception {
    var ping = cluster.get(url(1, "/ping"));
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("OK");

    cluster.put(url(1, "/buckets/stats/keys/k"), "v", "Content-Type", "text/plain");
    cluster.get(url(1, "/buckets/stats/keys/k"));
    JsonNode stats = JSON.readTree(cluster.get(url(1, "/stats")).body());
    assertThat(stats.get("nodename").asText()).isEqualTo("node1");
    assertThat(stats.get("ring_members")).hasSize(3);
    assertThat(stats.get("ring_num_partitions").asInt()).isEqualTo(16);
    assertThat(stats.get("node_puts").asLong()).isPositive();
    assertThat(stats.get("node_get_fsm_time_count").asLong()).isPositive();
    assertThat(stats.get("connected_nodes")).hasSize(2);

    var metrics = cluster.get(url(1, "/metrics"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    String m = metrics.body();
    assertThat(m).contains("kv_request_seconds_bucket{");
    assertThat(m).contains("op=\"get\"").contains("op=\"put\"");
    assertThat(m).containsPattern("partisan_lane_messages_sent_total\\{.*channel=\"request\"");
    // Each lane is tagged with its channel's traffic class.
    assertThat(m)
        .containsPattern(
            "partisan_lane_messages_sent_total\\{[^}]*channel=\"request\",class=\"latency\"");
    assertThat(m).contains("partisan_lane_queued_messages{");
    assertThat(m).contains("kv_vnodes_running").contains("kv_handoff_completed_total");
    assertThat(m).contains("kv_vnode_mailbox_depth_max").contains("kv_vnode_mailbox_queued{");
    // Requests were sent on the request channel, so its lanes counted their send waits.
    assertThat(m)
        .containsPattern(
            "partisan_lane_send_wait_seconds_count\\{[^}]*channel=\"request\"[^}]*} [1-9]");
    assertThat(m).containsPattern("partisan_lane_send_wait_seconds_sum\\{[^}]*channel=\"request\"");
    assertThat(m).contains("partisan_lane_send_wait_max_seconds{");
  }

  @Test
  void valuesUpToTheLimitAreStoredAndZeroBytesAreAValue() throws Exception {
    byte[] big = new byte[1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'x');
    var r =
        cluster.http.send(
            HttpRequest.newBuilder(URI.create(url(1, "/buckets/size/keys/big")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(204);
    var back =
        cluster.http.send(
            HttpRequest.newBuilder(URI.create(url(2, "/buckets/size/keys/big"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(back.body()).isEqualTo(big);

    assertThat(cluster.put(url(1, "/buckets/size/keys/empty"), "").statusCode()).isEqualTo(204);
    var empty = cluster.get(url(3, "/buckets/size/keys/empty"));
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body().getBytes(StandardCharsets.UTF_8)).isEmpty();
  }
}
