package dev.partisan.bench.kv;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Riak-like HTTP API of running nodes ({@code GET/PUT /buckets/B/keys/K}, see docs/http.md). A
 * GET answered 200 or 404 and a PUT answered 2xx are successes; anything else is an error.
 */
final class HttpTarget implements KvTarget {
  private final List<String> urls;
  private final String bucket;
  private final HttpClient http;
  private final Duration timeout;

  HttpTarget(List<String> urls, String bucket, Duration timeout) {
    this.urls =
        urls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    this.bucket = bucket;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  private URI uri(String key, int node) {
    return URI.create(urls.get(node % urls.size()) + "/buckets/" + bucket + "/keys/" + key);
  }

  @Override
  public CompletableFuture<?> get(String key, int node) {
    HttpRequest req = HttpRequest.newBuilder(uri(key, node)).timeout(timeout).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            r -> check(r, r.statusCode() == 200 || r.statusCode() == 404 || r.statusCode() == 300));
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value, int node) {
    HttpRequest req =
        HttpRequest.newBuilder(uri(key, node))
            .timeout(timeout)
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
