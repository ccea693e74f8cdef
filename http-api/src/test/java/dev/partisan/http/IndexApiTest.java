package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secondary indexes over HTTP, request by request, against a 3-node cluster. */
class IndexApiTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    cluster = HttpTestCluster.start(dir, 3, Map.of());
    String[] cities = {"paris, lyon", "lyon", "nice", "paris"};
    for (int i = 0; i < 4; i++) {
      var put =
          cluster.put(
              url(1 + i % 3, "/buckets/people/keys/p" + i),
              "v" + i,
              "Content-Type",
              "text/plain",
              "X-Riak-Index-Age_Int",
              String.valueOf(20 + 5 * i),
              "X-Riak-Index-city_bin",
              cities[i],
              "X-Riak-Index-huge_int",
              "1" + "0".repeat(30) + i);
      assertThat(put.statusCode()).isEqualTo(204);
    }
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

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void indexHeadersComeBackOnAGet() throws Exception {
    var get = cluster.get(url(2, "/buckets/people/keys/p0"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("X-Riak-Index-age_int")).hasValue("20");
    assertThat(get.headers().firstValue("X-Riak-Index-city_bin")).hasValue("lyon, paris");
  }

  @Test
  void siblingsCarryTheirOwnIndexHeadersAndAreEachFound() throws Exception {
    for (String g : List.of("red", "blue")) {
      var put = cluster.put(url(1, "/buckets/sib/keys/k"), g, "X-Riak-Index-colour_bin", g);
      assertThat(put.statusCode()).isEqualTo(204);
    }
    var get = cluster.get(url(2, "/buckets/sib/keys/k"), "Accept", "multipart/mixed");
    assertThat(get.statusCode()).isEqualTo(300);
    assertThat(get.body())
        .contains("X-Riak-Index-colour_bin: red\r\n")
        .contains("X-Riak-Index-colour_bin: blue\r\n");
    for (String g : List.of("red", "blue")) {
      assertThat(texts(json(cluster.get(url(3, "/buckets/sib/index/colour_bin/" + g))).get("keys")))
          .containsExactly("k");
    }
  }

  @Test
  void exactMatchAndRangeQueriesAnswerInRiaksJson() throws Exception {
    assertThat(texts(json(cluster.get(url(3, "/buckets/people/index/city_bin/paris"))).get("keys")))
        .containsExactly("p0", "p3");
    assertThat(
            texts(
                json(cluster.get(url(1, "/types/default/buckets/people/index/city_bin/lyon")))
                    .get("keys")))
        .containsExactly("p0", "p1");
    JsonNode range =
        json(cluster.get(url(2, "/buckets/people/index/age_int/21/35?return_terms=true")));
    assertThat(range.toString())
        .isEqualTo("{\"results\":[{\"25\":\"p1\"},{\"30\":\"p2\"},{\"35\":\"p3\"}]}");
    String lo = "1" + "0".repeat(30) + "1";
    String hi = "1" + "0".repeat(30) + "2";
    assertThat(
            texts(
                json(cluster.get(url(1, "/buckets/people/index/huge_int/" + lo + "/" + hi)))
                    .get("keys")))
        .containsExactly("p1", "p2");
    assertThat(texts(json(cluster.get(url(1, "/buckets/people/index/$bucket/people"))).get("keys")))
        .containsExactly("p0", "p1", "p2", "p3");
    assertThat(texts(json(cluster.get(url(1, "/buckets/people/index/$key/p1/p2"))).get("keys")))
        .containsExactly("p1", "p2");
  }

  @Test
  void bucketsAreListedOnceEach() throws Exception {
    assertThat(texts(json(cluster.get(url(2, "/buckets?buckets=true"))).get("buckets")))
        .contains("people")
        .doesNotHaveDuplicates();
    assertThat(
            texts(json(cluster.get(url(3, "/types/default/buckets?buckets=true"))).get("buckets")))
        .contains("people");
    assertThat(cluster.get(url(1, "/buckets")).statusCode()).isEqualTo(400);
  }

  @Test
  void aBucketOrValueNamedIndexIsJustAName() throws Exception {
    var put =
        cluster.put(
            url(1, "/types/default/buckets/index/keys/index"), "v", "X-Riak-Index-f_bin", "index");
    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(texts(json(cluster.get(url(2, "/buckets/index/index/f_bin/index"))).get("keys")))
        .containsExactly("index");
    assertThat(
            texts(
                json(cluster.get(url(3, "/types/default/buckets/index/index/f_bin/index/index")))
                    .get("keys")))
        .containsExactly("index");
  }

  @Test
  void maxResultsPagesWithAContinuation() throws Exception {
    List<String> keys = new ArrayList<>();
    String continuation = null;
    int pages = 0;
    do {
      String q = "/buckets/people/index/age_int/0/100?max_results=3";
      if (continuation != null) {
        q += "&continuation=" + continuation;
      }
      JsonNode page = json(cluster.get(url(1 + pages % 3, q)));
      keys.addAll(texts(page.get("keys")));
      continuation = page.has("continuation") ? page.get("continuation").asText() : null;
      pages++;
    } while (continuation != null);
    assertThat(pages).isEqualTo(2);
    assertThat(keys).containsExactly("p0", "p1", "p2", "p3");
  }

  @Test
  void streamingSendsMultipartParts() throws Exception {
    var r = cluster.get(url(1, "/buckets/people/index/age_int/0/100?stream=true&max_results=3"));
    assertThat(r.statusCode()).isEqualTo(200);
    String type = r.headers().firstValue("Content-Type").orElseThrow();
    assertThat(type).startsWith("multipart/mixed;boundary=");
    String boundary = type.substring(type.indexOf('=') + 1);
    assertThat(r.body()).contains("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n");
    assertThat(r.body()).contains("{\"keys\":[\"p0\",\"p1\",\"p2\"]}");
    assertThat(r.body()).contains("{\"continuation\":");
    assertThat(r.body()).endsWith("\r\n--" + boundary + "--\r\n");
  }

  @Test
  void badIndexInputIs400AndWritesNothing() throws Exception {
    var noSuffix = cluster.put(url(1, "/buckets/bad/keys/k1"), "v", "X-Riak-Index-name", "x");
    assertThat(noSuffix.statusCode()).isEqualTo(400);
    assertThat(noSuffix.body()).contains("_bin or _int");
    var notInt = cluster.put(url(1, "/buckets/bad/keys/k1"), "v", "X-Riak-Index-age_int", "12a");
    assertThat(notInt.statusCode()).isEqualTo(400);
    assertThat(notInt.body()).contains("not an integer");
    assertThat(cluster.get(url(2, "/buckets/bad/keys/k1")).statusCode()).isEqualTo(404);

    assertThat(cluster.get(url(1, "/buckets/people/index/age_int/abc")).statusCode())
        .isEqualTo(400);
    assertThat(cluster.get(url(1, "/buckets/people/index/name/x")).statusCode()).isEqualTo(400);
    assertThat(cluster.get(url(1, "/buckets/people/index/age_int/1/2?max_results=0")).statusCode())
        .isEqualTo(400);
    var badToken = cluster.get(url(1, "/buckets/people/index/age_int/1/2?continuation=xyz"));
    assertThat(badToken.statusCode()).isEqualTo(400);
    assertThat(badToken.body()).contains("continuation");
  }
}
