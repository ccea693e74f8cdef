package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and sloppy requests, over raw sockets where a well-behaved client cannot produce them.
 * Each must get a clear 4xx (or a closed connection) and leave the node serving.
 */
class BadInputTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static int port;

  @BeforeAll
  static void start() {
    cluster = HttpTestCluster.start(dir, 1, Map.of());
    port = cluster.launcher(1).httpPort();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** After every test the node still answers. */
  @AfterEach
  void nodeStillServes() throws Exception {
    assertThat(cluster.get(cluster.url(1) + "/ping").body()).isEqualTo("OK");
  }

  private static RawHttp.Response raw(String request) throws Exception {
    return RawHttp.send(port, request);
  }

  @Test
  void badPercentEncodingInThePathIs400() throws Exception {
    for (String path :
        new String[] {
          "/buckets/b/keys/%zz",
          "/buckets/b/keys/%",
          "/buckets/b/keys/%4",
          "/buckets/%G0/keys/k",
          "/buckets/b/keys/a%00b" // an encoded NUL
        }) {
      var r = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(path).isEqualTo(400);
    }
  }

  @Test
  void invalidUtf8InAKeyIsStillAKey() throws Exception {
    var put =
        raw(
            "PUT /buckets/b/keys/%C3%28%FF HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 3\r\nConnection: close\r\n\r\nabc");
    assertThat(put.status()).isEqualTo(204);
    var get = raw("GET /buckets/b/keys/%C3%28%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.text()).endsWith("abc");
  }

  @Test
  void rawNonAsciiBytesInThePathAreRefusedOrTakenAsUtf8() throws Exception {
    byte[] head = "GET /buckets/b/keys/".getBytes(StandardCharsets.US_ASCII);
    byte[] tail =
        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] req = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, req, 0, head.length);
    req[head.length] = (byte) 0xC3;
    req[head.length + 1] = (byte) 0x28; // invalid UTF-8 sequence
    System.arraycopy(tail, 0, req, head.length + 2, tail.length);
    var r = RawHttp.send(port, req, false);
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void hugeHeadersAre431() throws Exception {
    String big = "x".repeat(200_000);
    var r =
        raw(
            "GET /buckets/b/keys/k HTTP/1.1\r\nHost: x\r\nX-Riak-Meta-Big: "
                + big
                + "\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(431);
    var manyHeaders = new StringBuilder("GET /ping HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 5000; i++) {
      manyHeaders.append("X-H").append(i).append(": ").append("v".repeat(20)).append("\r\n");
    }
    var r2 = raw(manyHeaders.append("Connection: close\r\n\r\n").toString());
    assertThat(r2.status()).isEqualTo(431);
  }

  @Test
  void aHugeVclockIsRefusedAndAMalformedOneIs400() throws Exception {
    var garbage =
        cluster.put(
            cluster.url(1) + "/buckets/b/keys/vc", "v", "X-Riak-Vclock", "bm90IGEgdmNsb2Nr");
    assertThat(garbage.statusCode()).isEqualTo(400);
    var notBase64 = cluster.put(cluster.url(1) + "/buckets/b/keys/vc", "v", "X-Riak-Vclock", "%%%");
    assertThat(notBase64.statusCode()).isEqualTo(400);
    assertThat(notBase64.body()).contains("X-Riak-Vclock");
  }

  @Test
  void aBodyShorterThanItsContentLengthIsRefused() throws Exception {
    var r =
        RawHttp.send(
            port,
            ("PUT /buckets/b/keys/short HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                    + "Connection: close\r\n\r\nonly ten b")
                .getBytes(StandardCharsets.US_ASCII),
            true);
    assertThat(r.status()).isEqualTo(400);
    assertThat(cluster.get(cluster.url(1) + "/buckets/b/keys/short").statusCode()).isEqualTo(404);
  }

  @Test
  void aBodyLongerThanItsContentLengthStoresOnlyTheDeclaredBytes() throws Exception {
    var r =
        raw(
            "PUT /buckets/b/keys/long HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                + "Connection: close\r\n\r\nabcdefgh");
    assertThat(r.status()).isEqualTo(204);
    assertThat(cluster.get(cluster.url(1) + "/buckets/b/keys/long").body()).isEqualTo("abc");
  }

  @Test
  void aBadContentLengthIs400() throws Exception {
    var r =
        raw(
            "PUT /buckets/b/keys/cl HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n"
                + "Connection: close\r\n\r\nabc");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void zeroByteBodiesAreEmptyValues() throws Exception {
    var r =
        raw(
            "PUT /buckets/b/keys/zero HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(204);
    var get = cluster.get(cluster.url(1) + "/buckets/b/keys/zero");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEmpty();
  }

  @Test
  void overLimitBodiesAre413DeclaredOrChunked() throws Exception {
    int limit = 1024 * 1024;
    var declared =
        raw(
            "PUT /buckets/b/keys/big HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (limit + 1)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(declared.status()).isEqualTo(413);

    StringBuilder chunked =
        new StringBuilder(
            "PUT /buckets/b/keys/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n");
    String chunk = "y".repeat(64 * 1024);
    for (int i = 0; i < 17; i++) {
      chunked
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    var r = raw(chunked.toString());
    assertThat(r.status()).isIn(413, -1);
    assertThat(cluster.get(cluster.url(1) + "/buckets/b/keys/big").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownAndMalformedParametersAre400() throws Exception {
    String k = cluster.url(1) + "/buckets/b/keys/p";
    assertThat(cluster.get(k + "?rr=2").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?r=most").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?r=-1").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?r=99").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?timeout=0").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?timeout=soon").statusCode()).isEqualTo(400);
    assertThat(cluster.get(k + "?r=1&r=2").statusCode()).isEqualTo(400);
    assertThat(cluster.put(k + "?returnbody=maybe", "v").statusCode()).isEqualTo(400);
    assertThat(cluster.put(k + "?vtag=x", "v").statusCode()).isEqualTo(400);
    var badQuery =
        raw("GET /buckets/b/keys/p?r=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(badQuery.status()).isEqualTo(400);
    var notUtf8 =
        raw("GET /buckets/b/keys/p?r=%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(notUtf8.status()).isEqualTo(400);
    // Riak parameters this store does not need are accepted.
    assertThat(cluster.get(k + "?basic_quorum=true&notfound_ok=false").statusCode()).isEqualTo(404);
  }

  @Test
  void garbageRequestsAndWrongMethodsGetClearAnswers() throws Exception {
    assertThat(raw("HELLO\r\n\r\n").status()).isIn(400, -1);
    assertThat(raw("GET / HTTP/9.9\r\nHost: x\r\n\r\n").status()).isIn(400, 505, -1);
    assertThat(
            cluster
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(cluster.url(1) + "/ping"))
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(405);
    assertThat(cluster.get(cluster.url(1) + "/no/such/path").statusCode()).isEqualTo(404);
    assertThat(cluster.get(cluster.url(1) + "/buckets//keys/k").statusCode()).isIn(400, 404);
  }
}
