package dev.partisan.http.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;

/**
 * The CLI's side of the admin API: one HTTP call per command, the answer printed as it comes (text,
 * or JSON with --json). Exit codes: 0 for a 2xx answer, 1 for an error answer, 3 when the node
 * cannot be reached.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final String base;
  private final boolean json;
  private final PrintWriter out;
  private final PrintWriter err;
  private final HttpClient http;
  private final String authorization; // null: none; never printed

  /**
   * @param tls the context for https URLs ({@link AdminTls}); null: the JDK's default
   * @param authorization the Authorization header ({@link AdminCredentials}), or null
   */
  AdminClient(
      String base,
      boolean json,
      SSLContext tls,
      String authorization,
      PrintWriter out,
      PrintWriter err) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.json = json;
    this.authorization = authorization;
    this.out = out;
    this.err = err;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  int get(String path, Map<String, String> params) {
    return call("GET", path, params, null);
  }

  int post(String path, Map<String, String> params) {
    return call("POST", path, params, null);
  }

  /** A POST with a JSON body (bucket type properties). */
  int postJson(String path, String body) {
    return call("POST", path, Map.of(), body);
  }

  /** Any method with an optional JSON body (the security commands). */
  int send(String method, String path, Map<String, String> params, String requestJson) {
    return call(method, path, params, requestJson);
  }

  /** What to do about a refusal of the node's security (docs/security.md), or null. */
  private String hint(int status) {
    return switch (status) {
      case 426 -> "security is enabled on the node: use its https:// --url (with --cacert)";
      case 401 ->
          authorization == null
              ? "security is enabled on the node: pass --user NAME with --password-file FILE (or"
                  + " the PARTISAN_PASSWORD variable)"
              : "the node did not accept --user and its password from this address";
      default -> null;
    };
  }

  private int call(String method, String path, Map<String, String> params, String requestJson) {
    StringJoiner q = new StringJoiner("&");
    params.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    if (json) {
      q.add("format=json");
    }
    String uri = base + path + (q.length() == 0 ? "" : "?" + q);
    HttpRequest req;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(uri))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .method(
                  method,
                  requestJson == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(requestJson, StandardCharsets.UTF_8));
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      req = b.build();
    } catch (IllegalArgumentException e) {
      err.println("partisan-kv admin: bad --url " + base + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      boolean ok = res.statusCode() / 100 == 2;
      PrintWriter to = ok ? out : err;
      String body = res.body();
      to.print(body.endsWith("\n") || body.isEmpty() ? body : body + "\n");
      if (!ok && body.isEmpty()) {
        err.println("HTTP " + res.statusCode());
      }
      String hint = hint(res.statusCode());
      if (hint != null) {
        err.println("partisan-kv admin: " + hint);
      }
      to.flush();
      return ok ? 0 : 1;
    } catch (ConnectException e) {
      err.println("partisan-kv admin: cannot reach " + base + " (is the node running?)");
      err.flush();
      return 3;
    } catch (IOException e) {
      err.println("partisan-kv admin: " + uri + ": " + e);
      err.flush();
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 3;
    }
  }
}
