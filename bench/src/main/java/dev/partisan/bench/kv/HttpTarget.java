package dev.partisan.bench.kv;

import dev.partisan.bench.kv.http.HttpLoadClient;
import dev.partisan.bench.kv.http.HttpLoadConnection;
import dev.partisan.bench.kv.http.HttpRequests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Riak-like HTTP API of running nodes ({@code GET/PUT /buckets/B/keys/K}, see docs/http.md)
 * through {@link HttpLoadClient}. A GET answered 200 or 300 is a success, 404 a success that found
 * nothing (counted as not found); a PUT answered 2xx is a success; any other status, a dropped
 * connection or a stalled one is an error. Closed-loop runs drive the lanes on the client's event
 * loops ({@link LaneTarget}): lane i owns connection i of node i mod nodes.
 */
final class HttpTarget implements KvTarget, LaneTarget {
  private final List<URI> urls;
  private final String bucket;
  private final List<HttpRequests> requests; // per node
  private final HttpLoadClient client;

  /** Connection and thread counts of the client; 0 picks the default. */
  record Sizing(int connectionsPerNode, int threads, Duration requestTimeout) {}

  /**
   * @param tls the client context for https URLs (whom to trust), or null for the JDK's default
   * @param credentials sent as HTTP Basic with every request (https URLs only), or null
   */
  HttpTarget(
      List<String> urls, String bucket, Sizing sizing, SslContext tls, KvCredentials credentials)
      throws java.io.IOException, InterruptedException {
    this.urls = urls.stream().map(String::trim).map(URI::create).toList();
    boolean https = this.urls.stream().allMatch(u -> "https".equalsIgnoreCase(u.getScheme()));
    if (credentials != null && !https) {
      throw new IllegalArgumentException("--user sends a password: use https:// URLs only");
    }
    if (!https && this.urls.stream().anyMatch(u -> !"http".equalsIgnoreCase(u.getScheme()))) {
      throw new IllegalArgumentException("expected http:// or https:// URLs, all alike: " + urls);
    }
    if (this.urls.stream().anyMatch(u -> u.getHost() == null || !"/".contains(u.getPath()))) {
      throw new IllegalArgumentException("expected http(s)://HOST:PORT URLs, no path: " + urls);
    }
    if (https && tls == null) {
      throw new IllegalArgumentException("https:// URLs need a TLS context");
    }
    this.bucket = bucket;
    String authorization = credentials == null ? null : credentials.basicAuthorization();
    this.requests =
        this.urls.stream()
            .map(u -> new HttpRequests(u.getHost() + ":" + port(u), bucket, authorization))
            .toList();
    List<InetSocketAddress> nodes =
        this.urls.stream().map(u -> new InetSocketAddress(u.getHost(), port(u))).toList();
    this.client =
        HttpLoadClient.connect(
            nodes,
            sizing.connectionsPerNode(),
            sizing.threads(),
            https ? tls : null,
            Duration.ofSeconds(5),
            sizing.requestTimeout());
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /**
   * The same sibling policy as the in-process targets (blind writes to the same keys would pile up
   * siblings), set through the first node; a refusal is reported, not fatal.
   */
  void allowMultFalse() throws Exception {
    byte[] body = "{\"props\":{\"allow_mult\":false}}".getBytes(StandardCharsets.US_ASCII);
    HttpLoadConnection c = client.connection(0, 0);
    StatusFuture f = new StatusFuture();
    c.eventLoop()
        .execute(
            () ->
                c.send(
                    requests
                        .get(0)
                        .other(
                            c.alloc(),
                            "PUT",
                            "/buckets/" + bucket + "/props",
                            "application/json",
                            body),
                    null,
                    f));
    int status = f.get(10, TimeUnit.SECONDS);
    if (status / 100 != 2) {
      System.out.println("warning: setting allow_mult=false answered HTTP " + status);
    }
  }

  @Override
  public CompletableFuture<?> get(String key, int node) {
    HttpLoadConnection c = client.connection(node, Math.floorDiv(node, client.nodes()));
    StatusFuture f = new StatusFuture();
    c.eventLoop()
        .execute(
            () -> c.send(requests.get(Math.floorMod(node, nodes())).get(c.alloc(), key), null, f));
    return f.thenApply(s -> check(s, outcome(0, s) != LoadDriver.Outcome.ERROR));
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value, int node) {
    HttpLoadConnection c = client.connection(node, Math.floorDiv(node, client.nodes()));
    StatusFuture f = new StatusFuture();
    HttpRequests r = requests.get(Math.floorMod(node, nodes()));
    c.eventLoop()
        .execute(
            () ->
                c.send(r.putHead(c.alloc(), key, value.length), Unpooled.wrappedBuffer(value), f));
    return f.thenApply(s -> check(s, s / 100 == 2));
  }

  @Override
  public boolean notFound(Object getResult) {
    return getResult instanceof Integer s && s == 404;
  }

  /** How an answer with {@code status} counts for a get (op 0) or a put (op 1). */
  static LoadDriver.Outcome outcome(int op, int status) {
    if (op == 1) {
      return status / 100 == 2 ? LoadDriver.Outcome.OK : LoadDriver.Outcome.ERROR;
    }
    return switch (status) {
      case 200, 300 -> LoadDriver.Outcome.OK;
      case 404 -> LoadDriver.Outcome.NOT_FOUND;
      default -> LoadDriver.Outcome.ERROR;
    };
  }

  private static Integer check(int status, boolean ok) {
    if (!ok) {
      throw new IllegalStateException("HTTP " + status);
    }
    return status;
  }

  @Override
  public void runLanes(List<LoadDriver.Lane> lanes) {
    for (LoadDriver.Lane lane : lanes) {
      int node = lane.index() % nodes();
      HttpLoadConnection c = client.connection(node, lane.index() / nodes());
      HttpLane l = new HttpLane(lane, c, requests.get(node));
      c.eventLoop().execute(() -> c.whenReady(l.issue));
    }
  }

  /**
   * One closed-loop lane on its connection's event loop: the answer to one request sends the next,
   * with no other thread involved. Owned by that event loop.
   */
  private static final class HttpLane implements HttpLoadConnection.Exchange {
    private final LoadDriver.Lane lane;
    private final HttpLoadConnection connection;
    private final HttpRequests requests;
    private final ByteBuf value; // the shared put body, sent as read-only duplicates
    private final Runnable issue = this::issue;
    private int op;

    HttpLane(LoadDriver.Lane lane, HttpLoadConnection connection, HttpRequests requests) {
      this.lane = lane;
      this.connection = connection;
      this.requests = requests;
      this.value = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(lane.value()));
    }

    private void issue() {
      op = lane.next();
      if (op < 0) {
        return;
      }
      int key = lane.key();
      if (op == 0) {
        connection.send(requests.get(connection.alloc(), key), null, this);
      } else {
        ByteBuf head = requests.putHead(connection.alloc(), key, value.readableBytes());
        connection.send(head, value.duplicate(), this);
      }
    }

    @Override
    public void onResponse(int status, long bodyBytes) {
      lane.done(outcome(op, status));
      connection.whenReady(issue); // at once, unless the answer closed the connection
    }

    @Override
    public void onFailure(Throwable cause) {
      lane.done(LoadDriver.Outcome.ERROR);
      connection.whenReady(issue); // after a reconnect, not in a tight loop of failures
    }
  }

  /** An answer's status for the future-based calls; completed on the event loop. */
  private static final class StatusFuture extends CompletableFuture<Integer>
      implements HttpLoadConnection.Exchange {
    @Override
    public void onResponse(int status, long bodyBytes) {
      complete(status);
    }

    @Override
    public void onFailure(Throwable cause) {
      completeExceptionally(cause);
    }
  }

  /** The first node's connection {@code index} (tests). */
  HttpLoadConnection connection(int index) {
    return client.connection(0, index);
  }

  @Override
  public int nodes() {
    return urls.size();
  }

  @Override
  public String describe() {
    return "HTTP " + String.join(", ", urls.stream().map(URI::toString).toList());
  }

  @Override
  public void close() {
    client.close();
  }
}
