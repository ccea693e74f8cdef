package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partisan.kv.BKey;
import dev.partisan.kv.Quorum;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtBytes;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.FieldKey;
import dev.partisan.kv.datatype.FieldType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Riak's data-type endpoints, request by request, against a 3-node cluster. */
class DatatypeApiTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json";
  static final RequestOptions ALL =
      RequestOptions.defaults().r(Quorum.ALL).pr(Quorum.ALL).w(Quorum.ALL).dw(Quorum.ALL);

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    for (String dt : List.of("counter", "set", "map", "hll")) {
      // As a Riak user does: a bucket type per data type, created and activated by the admin.
      cluster.createActiveType(dt + "s", "{\"props\":{\"datatype\":\"" + dt + "\"}}");
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String url(int node, String path) {
    return cluster.url(node) + path;
  }

  private static HttpResponse<String> post(int node, String path, String body) throws Exception {
    return cluster.post(url(node, path), body, "Content-Type", JSON_TYPE);
  }

  private static JsonNode fetch(int node, String path) throws Exception {
    HttpResponse<String> r = cluster.get(url(node, path));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(JSON_TYPE));
    return JSON.readTree(r.body());
  }

  @Test
  void counters() throws Exception {
    String path = "/types/counters/buckets/c/datatypes/hits";
    HttpResponse<String> missing = cluster.get(url(1, path));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()))
        .isEqualTo(JSON.readTree("{\"type\":\"counter\",\"error\":\"notfound\"}"));

    assertThat(post(1, path, "{\"increment\":5}").statusCode()).isEqualTo(204);
    assertThat(post(2, path, "{\"decrement\":2}").statusCode()).isEqualTo(204);
    assertThat(post(3, path, "10").statusCode()).isEqualTo(204);
    assertThat(post(1, path, "\"increment\"").statusCode()).isEqualTo(204);
    assertThat(fetch(2, path + "?r=all"))
        .isEqualTo(JSON.readTree("{\"type\":\"counter\",\"value\":14}"));

    HttpResponse<String> body = post(3, path + "?returnbody=true", "-4");
    assertThat(body.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(body.body()).get("value").asLong()).isEqualTo(10);

    assertThat(post(1, path, "{\"increment\":true}").statusCode()).isEqualTo(400);
    assertThat(post(1, path, "{\"add\":\"x\"}").body()).contains("invalid counter operation");
    assertThat(post(1, path, "not json").statusCode()).isEqualTo(400);
  }

  @Test
  void setsNeedAContextToRemove() throws Exception {
    String path = "/types/sets/buckets/s/datatypes/people";
    assertThat(post(1, path, "{\"add_all\":[\"ann\",\"bob\",\"cy\"]}").statusCode()).isEqualTo(204);
    JsonNode read = fetch(2, path + "?r=all");
    assertThat(read.get("type").asText()).isEqualTo("set");
    assertThat(read.get("value")).isEqualTo(JSON.readTree("[\"ann\",\"bob\",\"cy\"]"));
    String context = read.get("context").asText();
    assertThat(context).isNotEmpty();
    assertThat(fetch(2, path + "?include_context=false").has("context")).isFalse();

    HttpResponse<String> noContext = post(3, path, "{\"remove\":\"bob\"}");
    assertThat(noContext.statusCode()).isEqualTo(400);
    assertThat(noContext.body()).contains("context");

    HttpResponse<String> removed =
        post(
            3,
            path + "?returnbody=true",
            "{\"remove_all\":[\"bob\",\"cy\"],\"add\":\"dee\",\"context\":\"" + context + "\"}");
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(removed.body()).get("value"))
        .isEqualTo(JSON.readTree("[\"ann\",\"dee\"]"));
    assertThat(fetch(1, path + "?r=all").get("value"))
        .isEqualTo(JSON.readTree("[\"ann\",\"dee\"]"));

    assertThat(post(1, path, "{\"remove\":\"x\",\"context\":\"%%%\"}").body()).contains("base64");
    assertThat(post(1, path, "{\"remove\":\"x\",\"context\":\"AAAA\"}").statusCode())
        .isEqualTo(400);
    assertThat(post(1, path, "{\"push\":\"x\"}").body()).contains("unknown set operation 'push'");
    assertThat(post(1, path, "{\"add_all\":[\"x\",1]}").statusCode()).isEqualTo(400);
  }

  /**
   * Bytes that are not UTF-8 (which PB clients may write) cannot be JSON text: like Riak, whose
   * JSON encoder fails on them, the read is an error, here a 500 naming the bytes, and nothing is
   * lost or altered.
   */
  @Test
  void valuesThatAreNotUtf8AreAClearErrorNotAlteredText() throws Exception {
    DtBytes binary = DtBytes.of(new byte[] {'c', 'a', 'f', (byte) 0xe9});
    BKey set = BKey.of("sets", "s", "binary");
    cluster
        .node(1)
        .client()
        .updateDatatype(set, new DtOp.SetOp(List.of(binary), List.of()), null, ALL)
        .join();
    HttpResponse<String> read = cluster.get(url(2, "/types/sets/buckets/s/datatypes/binary"));
    assertThat(read.statusCode()).isEqualTo(500);
    assertThat(read.body()).contains("0x636166e9 is not valid UTF-8").contains("PB API");

    HttpResponse<String> added =
        post(3, "/types/sets/buckets/s/datatypes/binary?returnbody=true", "{\"add\":\"tea\"}");
    assertThat(added.statusCode()).isEqualTo(500);
    assertThat(added.body()).startsWith("the update was applied, but");
    assertThat(cluster.node(1).client().fetchDatatype(set, ALL).join().value().set())
        .containsExactly(binary, DtBytes.ofUtf8("tea"));

    BKey map = BKey.of("maps", "m", "binary");
    FieldKey binaryName = new FieldKey(binary, FieldType.COUNTER);
    cluster
        .node(1)
        .client()
        .updateDatatype(map, DtOp.MapOp.update(binaryName, new DtOp.CounterOp(1)), null, ALL)
        .join();
    assertThat(cluster.get(url(1, "/types/maps/buckets/m/datatypes/binary")).body())
        .contains("0x636166e9 is not valid UTF-8");
    // The node goes on serving.
    assertThat(post(1, "/types/counters/buckets/c/datatypes/after-binary", "1").statusCode())
        .isEqualTo(204);
  }

  @Test
  void mapsWithEveryFieldType() throws Exception {
    String path = "/types/maps/buckets/m/datatypes/user";
    String update =
        "{\"update\":{\"name_register\":\"Ann\",\"logins_counter\":3,"
            + "\"admin_flag\":\"enable\",\"tags_set\":{\"add_all\":[\"a\",\"b\"]},"
            + "\"address_map\":{\"update\":{\"city_register\":{\"assign\":\"Oslo\"}}}}}";
    assertThat(post(1, path, update).statusCode()).isEqualTo(204);
    JsonNode read = fetch(2, path + "?r=all");
    assertThat(read.get("type").asText()).isEqualTo("map");
    assertThat(read.get("value"))
        .isEqualTo(
            JSON.readTree(
                "{\"address_map\":{\"city_register\":\"Oslo\"},\"admin_flag\":true,"
                    + "\"logins_counter\":3,\"name_register\":\"Ann\",\"tags_set\":[\"a\",\"b\"]}"));

    String context = read.get("context").asText();
    HttpResponse<String> removed =
        post(
            3,
            path + "?returnbody=true",
            "{\"remove\":[\"address_map\",\"tags_set\"],"
                + "\"update\":{\"admin_flag\":\"disable\",\"logins_counter\":{\"increment\":1}},"
                + "\"context\":\""
                + context
                + "\"}");
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(JSON.readTree(removed.body()).get("value"))
        .isEqualTo(
            JSON.readTree("{\"admin_flag\":false,\"logins_counter\":4,\"name_register\":\"Ann\"}"));

    HttpResponse<String> unknown = post(1, path, "{\"update\":{\"visits_gauge\":1}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("visits_gauge").contains("unknown map field type 'gauge'");
    assertThat(post(1, path, "{\"update\":{\"visits\":1}}").body()).contains("no type suffix");
    assertThat(post(1, path, "{\"update\":{\"admin_flag\":5}}").body())
        .contains("invalid flag operation");
    assertThat(post(1, path, "{\"remove\":\"tags_set\"}").body()).contains("context");
    assertThat(post(1, path, "{\"increment\":1}").body()).contains("unknown map operation");
    assertThat(fetch(1, path + "?r=all").get("value").get("logins_counter").asLong()).isEqualTo(4);
  }

  @Test
  void hyperLogLogs() throws Exception {
    String path = "/types/hlls/buckets/h/datatypes/visitors";
    assertThat(post(1, path, "{\"add_all\":[\"a\",\"b\",\"c\"]}").statusCode()).isEqualTo(204);
    assertThat(post(2, path, "{\"add\":\"a\"}").statusCode()).isEqualTo(204);
    assertThat(post(3, path, "{\"add\":\"d\"}").statusCode()).isEqualTo(204);
    assertThat(fetch(1, path + "?r=all"))
        .isEqualTo(JSON.readTree("{\"type\":\"hll\",\"value\":4}"));
    assertThat(post(1, path, "{\"remove\":\"a\"}").body()).contains("cannot be removed");
    assertThat(post(1, path, "5").statusCode()).isEqualTo(400);
  }

  @Test
  void aKeylessPostCreatesAKeyAndWrongBucketsAreRefused() throws Exception {
    HttpResponse<String> created =
        post(1, "/types/counters/buckets/c/datatypes?returnbody=true", "{\"increment\":7}");
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/types/counters/buckets/c/datatypes/");
    assertThat(JSON.readTree(created.body()).get("value").asLong()).isEqualTo(7);
    assertThat(fetch(2, location + "?r=all").get("value").asLong()).isEqualTo(7);

    HttpResponse<String> plain = post(1, "/types/default/buckets/plain/datatypes/k", "1");
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("not a data-type bucket");
    assertThat(cluster.get(url(1, "/types/default/buckets/plain/datatypes/k")).statusCode())
        .isEqualTo(400);
    HttpResponse<String> plainPut =
        cluster.put(url(1, "/types/counters/buckets/c/keys/k"), "5", "Content-Type", "text/plain");
    assertThat(plainPut.statusCode()).isEqualTo(400);
    assertThat(plainPut.body()).contains("data-type operation");
    assertThat(post(1, "/types/counters/buckets/c/datatypes/k?wr=1", "1").body()).contains("wr");
  }
}
