package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and oversized clients are cut off without harming others (issue 17): a client that stalls in
 * the middle of its headers (slowloris) is closed by the idle timeout while other clients are
 * served; an oversized body gets 413 and an oversized header 431, and the next client is served as
 * usual. Raw sockets on a real node.
 */
class SlowClientsTest {
  private static final long IDLE_MS = 1000;
  private static final int MAX_VALUE = 64 * 1024;

  @TempDir static Path dir;
  static HttpTestCluster cluster;

  @BeforeAll
  static void start() {
    cluster =
        HttpTestCluster.start(
            dir,
            1,
            Map.of(
                "http.idle_timeout_ms", Long.toString(IDLE_MS),
                "http.max_header_bytes", "4096",
                "kv.max_value_bytes", Integer.toString(MAX_VALUE)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int port() {
    return cluster.launcher(1).httpPort();
  }

  /** A connection that sends the start of a request one byte at a time, then stalls. */
  private static Socket stalled() throws IOException {
    Socket s = new Socket("127.0.0.1", port());
    s.setSoTimeout(15_000);
    OutputStream out = s.getOutputStream();
    for (byte b : "GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
      out.write(b);
      out.flush();
    }
    return s;
  }

  /**
   * Reads until the server closes the connection; what it sent (a 408, or nothing). Fails the test
   * if the server keeps it open past the socket's read timeout.
   */
  private static String readUntilClosed(Socket s) throws IOException {
    StringBuilder sent = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        sent.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketException e) {
      // reset by the server: closed too
    }
    return sent.toString();
  }

  private static final java.util.concurrent.atomic.AtomicInteger KEYS =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A normal client, on a connection of its own, stores and reads a key of its own. Its own client:
   * a keep-alive connection pooled by an earlier check sits idle as long as the slowloris does, the
   * node's idle timeout closes it too, and a PUT sent on it just as it closes would fail with EOF
   * (the JDK client retries only GETs): a race of the test's connection reuse, not a refused
   * client.
   */
  private static void assertServed() throws Exception {
    String key = cluster.url(1) + "/buckets/fine/keys/k" + KEYS.incrementAndGet();
    try (HttpClient fresh = HttpClient.newHttpClient()) {
      HttpResponse<String> put =
          fresh.send(
              HttpRequest.newBuilder(URI.create(key))
                  .header("Content-Type", "text/plain")
                  .PUT(HttpRequest.BodyPublishers.ofString("v"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(204);
      HttpResponse<String> got =
          fresh.send(
              HttpRequest.newBuilder(URI.create(key)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo("v");
    }
  }

  @Test
  void aSlowlorisIsCutOffByTheIdleTimeoutWhileOthersAreServed() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      // Stalled connections hold no handler thread (more of them than Jetty's default pool has
      // threads): others are served meanwhile.
      for (int i = 0; i < 250; i++) {
        slow.add(stalled());
      }
      long stalledAt = System.nanoTime();
      assertServed();
      for (Socket s : slow) {
        String answer = readUntilClosed(s);
        assertThat(answer)
            .satisfiesAnyOf(
                a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408"));
      }
      long closedAfterMs = (System.nanoTime() - stalledAt) / 1_000_000;
      // Not before the idle timeout (a little less: the timer ticks coarsely), and not much after.
      assertThat(closedAfterMs).isBetween(IDLE_MS / 2, 10 * IDLE_MS);
      assertServed();
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void anOversizedBodyIs413AndTheNextClientIsServed() throws Exception {
    try (Socket stalled = stalled()) {
      var declared =
          RawHttp.send(
              port(),
              "PUT /buckets/big/keys/k HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                  + "Content-Length: "
                  + (MAX_VALUE + 1)
                  + "\r\nConnection: close\r\n\r\n"
                  + "y".repeat(1024));
      assertThat(declared.status()).isEqualTo(413);
      assertServed();
      assertThat(cluster.get(cluster.url(1) + "/buckets/big/keys/k").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anOversizedHeaderIs431AndTheNextClientIsServed() throws Exception {
    try (Socket stalled = stalled()) {
      var r =
          RawHttp.send(
              port(),
              "GET /buckets/b/keys/k HTTP/1.1\r\nHost: x\r\nX-Big: "
                  + "x".repeat(8192)
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).isEqualTo(431);
      assertServed();
    }
  }
}
