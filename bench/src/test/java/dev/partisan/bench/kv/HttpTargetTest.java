package dev.partisan.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.partisan.bench.kv.http.HttpLoadConnection;
import dev.partisan.http.DevCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP load client against a real node started here (GETs, PUTs, 404s, a dropped connection)
 * and against a plain JDK HTTP server where a node cannot be made to fail on demand (500 and 503
 * answers, a server that closes every connection). Counts only, never timings.
 */
class HttpTargetTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static HttpTarget target(String url, int connections) throws Exception {
    return new HttpTarget(
        List.of(url), "bench", new HttpTarget.Sizing(connections, 1, TIMEOUT), null, null);
  }

  /** A closed loop of {@code lanes} on the client's event loops, ending after {@code ops}. */
  private static LoadDriver.Result closedLoop(
      KvTarget t, double getFraction, int keys, int lanes, long ops) throws Exception {
    LoadDriver.Settings s =
        new LoadDriver.Settings(getFraction, "uniform", keys, 64, lanes, 0, 60, ops, 10_000);
    return new LoadDriver(t, s).run();
  }

  private static long all(LoadDriver.Result r) {
    return r.ops()[0] + r.ops()[1] + r.errors()[0] + r.errors()[1];
  }

  @Test
  @Timeout(120)
  void getsPutsAndNotFoundAgainstARealNodeAndADroppedConnectionIsReplaced(@TempDir Path dir)
      throws Exception {
    try (DevCluster cluster =
            DevCluster.start(
                Map.of("kv.ring_size", "16"), new DevCluster.Layout(1, 0, 0, dir.resolve("n")));
        HttpTarget t = target("http://127.0.0.1:" + cluster.nodes().get(0).httpPort(), 2)) {
      t.allowMultFalse();
      byte[] value = "v".getBytes(StandardCharsets.UTF_8);
      for (int k = 0; k < 10; k++) {
        assertThat(t.put(LoadDriver.key(k), value, 0).get(10, TimeUnit.SECONDS)).isIn(200, 204);
      }
      assertThat(t.notFound(t.get("k3", 0).get(10, TimeUnit.SECONDS))).isFalse();
      assertThat(t.notFound(t.get("missing", 0).get(10, TimeUnit.SECONDS))).isTrue();

      // Keys k0..k19, only the first ten written: the lanes count the others as not found.
      LoadDriver.Result gets = closedLoop(t, 1.0, 20, 4, 400);
      assertThat(gets.errors()).containsExactly(0, 0);
      assertThat(gets.ops()[0]).isEqualTo(400);
      assertThat(gets.notFound()).isPositive().isLessThan(400);
      LoadDriver.Result mixed = closedLoop(t, 0.5, 10, 4, 200);
      assertThat(mixed.errors()).containsExactly(0, 0);
      assertThat(mixed.ops()[1]).isPositive();
      assertThat(mixed.notFound()).isZero();

      HttpLoadConnection c = t.connection(0);
      c.eventLoop().submit(c::dropForTest).get(10, TimeUnit.SECONDS);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.eventLoop().submit(() -> c.ready() && c.connects() == 2).get());
      assertThat(t.get("k3", 0).get(10, TimeUnit.SECONDS)).isEqualTo(200);
    }
  }

  @Test
  @Timeout(60)
  void errorStatusesAreCountedAsErrors() throws Exception {
    HttpServer server = stub(false);
    try (HttpTarget t = target(url(server), 2)) {
      // Gets of k0 answer 500, of k1 503, the others 200; every put answers 503.
      LoadDriver.Result r = closedLoop(t, 0.5, 4, 2, 300);
      assertThat(all(r)).isEqualTo(300);
      assertThat(r.errors()[0]).isPositive();
      assertThat(r.ops()[0]).isPositive();
      assertThat(r.ops()[1]).isZero();
      assertThat(r.errors()[1]).isPositive();
      assertThat(r.notFound()).isZero();
      assertThatThrownBy(() -> t.get("k0", 0).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("HTTP 500");
      assertThatThrownBy(() -> t.put("k2", new byte[1], 0).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("HTTP 503");
    } finally {
      server.stop(0);
    }
  }

  @Test
  @Timeout(60)
  void aServerThatClosesEveryConnectionCostsNoRequest() throws Exception {
    HttpServer server = stub(true);
    try (HttpTarget t = target(url(server), 1)) {
      LoadDriver.Result r = closedLoop(t, 1.0, 5, 1, 50);
      assertThat(r.errors()).containsExactly(0, 0);
      assertThat(r.ops()[0]).isEqualTo(50);
      HttpLoadConnection c = t.connection(0);
      assertThat(c.eventLoop().submit(c::connects).get()).isGreaterThanOrEqualTo(50);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void refusesUrlsItWouldNotLoadAsWritten() {
    for (String url : List.of("http://127.0.0.1:1/riak", "ftp://127.0.0.1:1", "127.0.0.1:1")) {
      assertThatThrownBy(() -> target(url, 1)).as(url).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void outcomesFollowRiaksStatuses() {
    assertThat(HttpTarget.outcome(0, 200)).isEqualTo(LoadDriver.Outcome.OK);
    assertThat(HttpTarget.outcome(0, 300)).isEqualTo(LoadDriver.Outcome.OK);
    assertThat(HttpTarget.outcome(0, 404)).isEqualTo(LoadDriver.Outcome.NOT_FOUND);
    assertThat(HttpTarget.outcome(0, 503)).isEqualTo(LoadDriver.Outcome.ERROR);
    assertThat(HttpTarget.outcome(1, 204)).isEqualTo(LoadDriver.Outcome.OK);
    assertThat(HttpTarget.outcome(1, 404)).isEqualTo(LoadDriver.Outcome.ERROR);
    assertThat(HttpTarget.outcome(1, 500)).isEqualTo(LoadDriver.Outcome.ERROR);
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * GET k0: 500, k1: 503, others: 200 with a body; PUT: 503. Or, closing every connection after one
   * answer: GET 200 always.
   */
  private static HttpServer stub(boolean closeEachTime) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/buckets/bench/",
        (HttpExchange e) -> {
          e.getRequestBody().readAllBytes();
          String path = e.getRequestURI().getPath();
          int status =
              e.getRequestMethod().equals("PUT")
                  ? (path.endsWith("/props") ? 204 : 503)
                  : closeEachTime
                      ? 200
                      : path.endsWith("/k0") ? 500 : path.endsWith("/k1") ? 503 : 200;
          if (closeEachTime) {
            e.getResponseHeaders().set("Connection", "close");
          }
          byte[] body = status == 204 ? new byte[0] : ("status " + status).getBytes();
          e.sendResponseHeaders(status, status == 204 ? -1 : body.length);
          e.getResponseBody().write(body);
          e.close();
        });
    server.start();
    return server;
  }
}
