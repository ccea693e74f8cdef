package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Riak's bucket properties and bucket types over HTTP on a three-node RocksDB cluster: every
 * property is accepted, stored and returned in riak's JSON shape; commit hooks and changes of the
 * properties fixed at type creation are refused with a 400 naming the property; unknown and
 * inactive types answer riak's 404.
 */
class BucketPropsHttpTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CT = "Content-Type";
  static final String APP_JSON = "application/json";

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

  static String url(int node, String path) {
    return cluster.url(node) + path;
  }

  static JsonNode props(int node, String path) throws Exception {
    HttpResponse<String> r = cluster.get(url(node, path));
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body()).get("props");
  }

  static HttpResponse<String> putProps(int node, String path, String body) throws Exception {
    return cluster.put(url(node, path), body, CT, APP_JSON);
  }

  /** Every settable property of a bucket of the default type, none at its default value. */
  static ObjectNode everyBucketProperty() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {"n_val":2,"allow_mult":false,"last_write_wins":true,"precommit":[],"postcommit":[],
             "chash_keyfun":{"mod":"my_mod","fun":"my_keyfun"},
             "linkfun":{"mod":"my_links","fun":"my_linkfun"},
             "old_vclock":1000,"young_vclock":10,"big_vclock":40,"small_vclock":30,
             "pr":1,"r":"one","w":"all","pw":2,"dw":0,"rw":"all",
             "basic_quorum":true,"notfound_ok":false,"dvv_enabled":false,
             "backend":"bitcask_mult","search":true,"search_index":"idx","repl":"fullsync",
             "hll_precision":12,"node_confirms":2,"sync_on_write":"one","aae_tree_exclude":true}
            """);
  }

  @Test
  void aRiakClientsFirstStepIsAccepted() throws Exception {
    assertThat(putProps(1, "/buckets/first/props", "{\"props\":{\"precommit\":[]}}").statusCode())
        .isEqualTo(204);
    JsonNode p = props(1, "/buckets/first/props");
    assertThat(p.get("precommit")).isEmpty();
    assertThat(p.get("postcommit")).isEmpty();
  }

  @Test
  void everyPropertyRoundTripsThroughJsonOnEveryNode() throws Exception {
    ObjectNode sent = everyBucketProperty();
    assertThat(
            putProps(1, "/buckets/every/props", JSON.writeValueAsString(wrap(sent))).statusCode())
        .isEqualTo(204);
    await()
        .atMost(HttpTestCluster.WAIT)
        .untilAsserted(
            () -> {
              JsonNode got = props(3, "/buckets/every/props");
              sent.properties()
                  .forEach(
                      e -> assertThat(got.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
              assertThat(got.get("name").asText()).isEqualTo("every");
              assertThat(got.get("type").asText()).isEqualTo("default");
            });
    // What a client read back it may send back whole: read-only ones are ignored.
    JsonNode whole = props(2, "/buckets/every/props");
    assertThat(
            putProps(2, "/buckets/every/props", JSON.writeValueAsString(wrap(whole))).statusCode())
        .isEqualTo(204);
    assertThat(props(2, "/buckets/every/props")).isEqualTo(whole);
  }

  @Test
  void theDefaultsAreRiaks() throws Exception {
    JsonNode p = props(1, "/buckets/untouched/props");
    assertThat(p.get("n_val").asInt()).isEqualTo(3);
    assertThat(p.get("r").asText()).isEqualTo("quorum");
    assertThat(p.get("rw").asText()).isEqualTo("quorum");
    assertThat(p.get("pr").asInt()).isZero();
    assertThat(p.get("notfound_ok").asBoolean()).isTrue();
    assertThat(p.get("basic_quorum").asBoolean()).isFalse();
    assertThat(p.get("chash_keyfun"))
        .isEqualTo(JSON.readTree("{\"mod\":\"riak_core_util\",\"fun\":\"chash_std_keyfun\"}"));
    assertThat(p.get("linkfun"))
        .isEqualTo(
            JSON.readTree("{\"mod\":\"riak_kv_wm_link_walker\",\"fun\":\"mapreduce_linkfun\"}"));
    assertThat(p.get("old_vclock").asInt()).isEqualTo(86400);
    assertThat(p.get("young_vclock").asInt()).isEqualTo(20);
    assertThat(p.get("big_vclock").asInt()).isEqualTo(50);
    assertThat(p.get("small_vclock").asInt()).isEqualTo(50);
    assertThat(p.get("consistent").asBoolean()).isFalse();
    assertThat(p.get("write_once").asBoolean()).isFalse();
    assertThat(p.has("datatype")).isFalse();
    assertThat(p.has("backend")).isFalse();
  }

  @Test
  void badPropertiesAre400sNamingTheProperty() throws Exception {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("{\"props\":{\"precommit\":[{\"mod\":\"m\",\"fun\":\"f\"}]}}", "precommit"),
            Map.entry("{\"props\":{\"postcommit\":[{\"name\":\"hook\"}]}}", "postcommit"),
            Map.entry("{\"props\":{\"precommit\":\"x\"}}", "precommit"),
            Map.entry("{\"props\":{\"chash_keyfun\":\"x\"}}", "chash_keyfun"),
            Map.entry("{\"props\":{\"linkfun\":{\"mod\":\"m\"}}}", "linkfun"),
            Map.entry("{\"props\":{\"repl\":\"sometimes\"}}", "repl"),
            Map.entry("{\"props\":{\"hll_precision\":20}}", "hll_precision"),
            Map.entry("{\"props\":{\"old_vclock\":-1}}", "old_vclock"),
            Map.entry("{\"props\":{\"rw\":\"most\"}}", "rw"),
            Map.entry("{\"props\":{\"notfound_ok\":\"yes\"}}", "notfound_ok"),
            Map.entry("{\"props\":{\"sync_on_write\":\"never\"}}", "sync_on_write"),
            Map.entry("{\"props\":{\"datatype\":\"set\"}}", "datatype"),
            Map.entry("{\"props\":{\"consistent\":true}}", "consistent"),
            Map.entry("{\"props\":{\"write_once\":true}}", "write_once"),
            Map.entry("{\"props\":{\"colour\":1}}", "colour"));
    JsonNode before = props(1, "/buckets/bad/props");
    for (var e : bad.entrySet()) {
      HttpResponse<String> r = putProps(1, "/buckets/bad/props", e.getKey());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.body()).as(e.getKey()).contains(e.getValue());
    }
    assertThat(props(1, "/buckets/bad/props")).as("nothing changed").isEqualTo(before);
  }

  @Test
  void aTypesPropertiesAreItsBucketsUntilTheySetTheirOwn() throws Exception {
    cluster.createActiveType(
        "sets",
        "{\"props\":{\"datatype\":\"set\",\"n_val\":2,\"consistent\":true,\"write_once\":true}}");
    JsonNode type = props(2, "/types/sets/props");
    assertThat(type.get("datatype").asText()).isEqualTo("set");
    assertThat(type.get("allow_mult").asBoolean()).isTrue();
    assertThat(type.get("consistent").asBoolean()).isTrue();
    assertThat(type.get("write_once").asBoolean()).isTrue();
    assertThat(type.get("active").asBoolean()).isTrue();
    assertThat(type.get("claimant").asText()).startsWith("node");
    assertThat(props(3, "/types/sets/buckets/b/props").get("n_val").asInt()).isEqualTo(2);

    assertThat(putProps(1, "/types/sets/props", "{\"props\":{\"n_val\":1}}").statusCode())
        .isEqualTo(204);
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> props(3, "/types/sets/buckets/b/props").get("n_val").asInt() == 1);
    assertThat(
            putProps(1, "/types/sets/buckets/own/props", "{\"props\":{\"n_val\":3}}").statusCode())
        .isEqualTo(204);
    assertThat(props(1, "/types/sets/buckets/own/props").get("n_val").asInt()).isEqualTo(3);
    assertThat(props(1, "/types/sets/buckets/own/props").get("datatype").asText()).isEqualTo("set");
    assertThat(cluster.delete(url(1, "/types/sets/buckets/own/props")).statusCode()).isEqualTo(204);
    assertThat(props(1, "/types/sets/buckets/own/props").get("n_val").asInt()).isEqualTo(1);

    for (String path : List.of("/types/sets/props", "/types/sets/buckets/b/props")) {
      for (String change :
          List.of(
              "{\"props\":{\"datatype\":\"map\"}}",
              "{\"props\":{\"consistent\":false}}",
              "{\"props\":{\"write_once\":false}}")) {
        HttpResponse<String> r = putProps(1, path, change);
        assertThat(r.statusCode()).as(path + " " + change).isEqualTo(400);
        assertThat(r.body()).contains("can only be set when a bucket type is created");
      }
      // The same value again is no change.
      assertThat(putProps(1, path, "{\"props\":{\"datatype\":\"set\"}}").statusCode())
          .isEqualTo(204);
    }
    assertThat(putProps(1, "/types/default/props", "{\"props\":{\"n_val\":1}}").statusCode())
        .isEqualTo(400);
    assertThat(props(1, "/types/default/props").get("active").asBoolean()).isTrue();
  }

  @Test
  void unknownAndInactiveTypesAreRiaks404() throws Exception {
    assertThat(
            cluster
                .post(url(1, "/admin/bucket-types/inactive/create"), "{\"props\":{}}", CT, APP_JSON)
                .statusCode())
        .isEqualTo(200);
    for (String type : List.of("nosuch", "inactive")) {
      for (String path :
          List.of(
              "/types/" + type + "/buckets/b/keys/k",
              "/types/" + type + "/buckets/b/props",
              "/types/" + type + "/props",
              "/types/" + type + "/buckets/b/keys?keys=true")) {
        HttpResponse<String> r = cluster.get(url(2, path));
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).as(path).startsWith("Unknown bucket type: " + type);
      }
      HttpResponse<String> put =
          cluster.put(url(2, "/types/" + type + "/buckets/b/keys/k"), "v", CT, "text/plain");
      assertThat(put.statusCode()).isEqualTo(404);
    }
  }

  private static ObjectNode wrap(JsonNode props) {
    ObjectNode root = JSON.createObjectNode();
    root.set("props", props);
    return root;
  }
}
