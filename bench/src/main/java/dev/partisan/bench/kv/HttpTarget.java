package dev.partisan.bench.kv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * The Riak-like HTTP API of running nodes ({@code GET/PUT /buckets/B/keys/K}, see docs/http.md). A
 * GET answered 200 or 404 and a PUT answered 2xx are successes; anything else is an error.
 */
final class HttpTarget implements KvTarget {
  private final List<String> urls;
  private final String bucket;
  private final HttpClient http;
  private final Duration timeout;
  private final String authorization; // null: no Authorization header

  HttpTarget(List<String> urls, String bucket, Duration timeout) {
    this(urls, bucket, timeout, null, null);
  }

  /**
   * @param tls the context for https URLs (whom to trust), or null for the JDK's default
   * @param credentials sent as HTTP Basic with every request (https URLs only), or null
   */
  HttpTarget(
      List<String> urls,
      String bucket,
      Duration timeout,
      SSLContext tls,
      KvCredentials credentials) {
    this.urls =
        urls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    if (credentials != null
        && this.urls.stream().anyMatch(u -> !u.regionMatches(true, 0, "https://", 0, 8))) {
      throw new IllegalArgumentException("--user sends a password: use https:// URLs only");
    }
    this.bucket = bucket;
    this.timeout = timeout;
    this.authorization = credentials == null ? null : credentials.basicAuthorization();
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  /**
   * The same sibling policy as the in-process targets (blind writes to the same keys would pile up
   * siblings), set through the first node; a refusal is reported, not fatal.
   */
  void allowMultFalse() throws IOException, InterruptedException {
    HttpRequest req =
        request(URI.create(urls.get(0) + "/buckets/" + bucket + "/props"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"props\":{\"allow_mult\":false}}"))
            .build();
    int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status / 100 != 2) {
      System.out.println("warning: setting allow_mult=false answered HTTP " + status);
    }
  }

  private URI uri(String key, int node) {
    return URI.create(urls.get(node % urls.size()) + "/buckets/" + bucket + "/keys/" + key);
  }

  @Override
  public CompletableFuture<?> get(String key, int node) {
    HttpRequest req = request(uri(key, node)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            r -> check(r, r.statusCode() == 200 || r.statusCode() == 404 || r.statusCode() == 300));
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value, int node) {
    HttpRequest req =
        request(uri(key, node))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
            .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> check(r, r.statusCode() / 100 == 2));
  }

  private static <T> HttpResponse<T> check(HttpResponse<T> r, boolean ok) {
    if (!ok) {
      throw new IllegalStateException("HTTP " + r.statusCode() + " from " + r.uri());
    }
    return r;
  }

  @Override
  public int nodes() {
    return urls.size();
  }

  @Override
  public String describe() {
    return "HTTP " + String.join(", ", urls);
  }

  @Override
  public void close() {
    http.close();
  }
}
