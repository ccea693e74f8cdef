package dev.partisan.jepsen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Riak HTTP client for one node, reduced to what the workloads need: read a set (siblings merged
 * by union), write a set with the causal context of the read, put and get plain keys, update and
 * fetch a data type (counter increments, set adds). Every write says whether the request certainly
 * did not take effect ({@link Outcome#FAIL}), did ({@link Outcome#OK}), or might have ({@link
 * Outcome#UNKNOWN}).
 */
final class KvClient {

  enum Outcome {
    OK,
    FAIL,
    UNKNOWN
  }

  /** The result of a write or a failed read. */
  record Result(Outcome outcome, String detail) {}

  /** A set as read: its elements (union of the siblings), context, sibling count. */
  record SetRead(Set<String> elements, String vclock, int siblings) {}

  /** A read that either produced a set or failed with a reason. */
  record ReadResult(SetRead set, String error) {
    boolean ok() {
      return set != null;
    }
  }

  /** A data-type fetch that either produced the JSON value or failed with a reason. */
  record DatatypeRead(JsonNode value, String error) {
    boolean ok() {
      return value != null;
    }

    long counter() {
      return value.asLong();
    }

    Set<String> elements() {
      Set<String> out = new LinkedHashSet<>();
      value.forEach(e -> out.add(e.asText()));
      return out;
    }
  }

  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  KvClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade dance; one client (so one connection pool) per generator process.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(Math.min(2000, timeout.toMillis())))
            .build();
  }

  URI base() {
    return base;
  }

  /** Reads the set under bucket/key with the given r ("quorum", "all"); 404 is the empty set. */
  ReadResult readSet(String bucket, String key, String r) {
    HttpRequest req =
        HttpRequest.newBuilder(objectUri(bucket, key, "r=" + r))
            .timeout(timeout)
            .header("Accept", "multipart/mixed, text/plain")
            .GET()
            .build();
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new ReadResult(null, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ReadResult(null, "interrupted");
    }
    String vclock = resp.headers().firstValue("X-Riak-Vclock").orElse(null);
    String body = new String(resp.body(), StandardCharsets.UTF_8);
    return switch (resp.statusCode()) {
      case 404 -> new ReadResult(new SetRead(Set.of(), vclock, 0), null);
      case 200 -> new ReadResult(new SetRead(parseElements(body), vclock, 1), null);
      case 300 -> parseSiblings(resp, body, vclock);
      default -> new ReadResult(null, resp.statusCode() + " " + firstLine(body));
    };
  }

  /** Writes the set with the context of an earlier read (null: no context). */
  Result writeSet(String bucket, String key, Set<String> elements, String vclock) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(objectUri(bucket, key, null))
            .timeout(timeout)
            .header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(String.join(" ", elements)));
    if (vclock != null) {
      b.header("X-Riak-Vclock", vclock);
    }
    return write(b.build());
  }

  /** Writes value under bucket/key without context (each key is written once). */
  Result put(String bucket, String key, String value) {
    return write(
        HttpRequest.newBuilder(objectUri(bucket, key, null))
            .timeout(timeout)
            .header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(value))
            .build());
  }

  /**
   * Applies a data-type operation (Riak's JSON: {@code {"increment":3}}, {@code {"add":"e"}}) with
   * POST /types/T/buckets/B/datatypes/K. The outcomes are those of every write (see {@code write}):
   * the coordinating replica applies the operation before it replicates, so a 503 for an unmet
   * quorum or a timeout may still have changed the value.
   */
  Result updateDatatype(Workload.Datatype d, String opJson) {
    return write(
        HttpRequest.newBuilder(uri(datatypePath(d), null))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(opJson))
            .build());
  }

  /** Fetches a data type with the given r; 404 reads as the empty value (0, no elements). */
  DatatypeRead fetchDatatype(Workload.Datatype d, String r) {
    HttpRequest req =
        HttpRequest.newBuilder(uri(datatypePath(d), "r=" + r))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 404) {
        // A missing node reads as 0 and iterates nothing: the empty counter and the empty set.
        return new DatatypeRead(MissingNode.getInstance(), null);
      }
      JsonNode body = resp.statusCode() == 200 ? Cluster.json(resp.body()) : null;
      if (body == null || !body.has("value")) {
        return new DatatypeRead(null, resp.statusCode() + " " + firstLine(resp.body()));
      }
      return new DatatypeRead(body.get("value"), null);
    } catch (IOException e) {
      return new DatatypeRead(null, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DatatypeRead(null, "interrupted");
    }
  }

  /** GET on any path of the node (admin and status endpoints): the body, or null. */
  String getText(String path) {
    try {
      HttpResponse<String> resp =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() == 200 ? resp.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** POST or PUT on an admin or props path: the status code and body. */
  HttpResponse<String> send(String method, String path, String json) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    b.header("Content-Type", "application/json");
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private Result write(HttpRequest req) {
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      int s = resp.statusCode();
      if (s == 200 || s == 204) {
        return new Result(Outcome.OK, String.valueOf(s));
      }
      // A 503 (quorum not met, timeout) may still have reached some replicas (docs/http.md):
      // its outcome is unknown. Any other refusal happened before the write.
      Outcome o = s == 503 || s >= 500 ? Outcome.UNKNOWN : Outcome.FAIL;
      return new Result(o, s + " " + firstLine(resp.body()));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      // No connection was made: the request never reached the node.
      return new Result(Outcome.FAIL, describe(e));
    } catch (HttpTimeoutException e) {
      return new Result(Outcome.UNKNOWN, describe(e));
    } catch (IOException e) {
      // Reset or closed mid-request: it may have been processed.
      return new Result(Outcome.UNKNOWN, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.UNKNOWN, "interrupted");
    }
  }

  private ReadResult parseSiblings(HttpResponse<byte[]> resp, String body, String vclock) {
    String ct = resp.headers().firstValue("Content-Type").orElse("");
    Matcher m = BOUNDARY.matcher(ct);
    if (!ct.startsWith("multipart/mixed") || !m.find()) {
      return new ReadResult(null, "300 without multipart body: " + ct);
    }
    String delimiter = "--" + m.group(1);
    Set<String> union = new LinkedHashSet<>();
    int siblings = 0;
    for (String part : body.split(Pattern.quote(delimiter))) {
      int headerEnd = part.indexOf("\r\n\r\n");
      int skip = 4;
      if (headerEnd < 0) {
        headerEnd = part.indexOf("\n\n");
        skip = 2;
      }
      if (headerEnd < 0) {
        continue; // preamble or the closing "--"
      }
      siblings++;
      union.addAll(parseElements(part.substring(headerEnd + skip)));
    }
    return new ReadResult(new SetRead(union, vclock, siblings), null);
  }

  static Set<String> parseElements(String body) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(body.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }

  private URI objectUri(String bucket, String key, String query) {
    return uri("/buckets/" + encode(bucket) + "/keys/" + encode(key), query);
  }

  private static String datatypePath(Workload.Datatype d) {
    return "/types/"
        + encode(d.type())
        + "/buckets/"
        + encode(d.bucket())
        + "/datatypes/"
        + encode(d.key());
  }

  /** The path with the server-side timeout one second under this client's, and the query. */
  private URI uri(String path, String query) {
    return base.resolve(
        path
            + "?timeout="
            + Math.max(1, timeout.toMillis() - 1000)
            + (query == null ? "" : "&" + query));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String firstLine(String body) {
    String s = body == null ? "" : body.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
