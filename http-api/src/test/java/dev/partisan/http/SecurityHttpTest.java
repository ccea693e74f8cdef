package dev.partisan.http;

import static dev.partisan.http.AdminCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.http.AdminCliTest.Run;
import dev.partisan.http.config.HttpSettings;
import dev.partisan.http.security.RouteRule;
import dev.partisan.http.security.RouteRules;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.runtime.testing.TlsFixture;
import dev.partisan.runtime.tls.TlsSettings;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security enforced on the HTTP API of a real node over real TLS (RocksDB, loopback): users,
 * sources and grants set up and security enabled through the admin CLI, then every answer a client
 * can get: 426 in plaintext, 401 without or with wrong credentials, 403 without the permission (and
 * nothing written), and each source method and grant scope letting exactly its clients in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityHttpTest {
  @TempDir static Path dir;
  static TlsFixture certs;
  static HttpTestCluster cluster;
  static String https;
  static HttpClient anonymous;
  static HttpClient alice;
  static HttpClient mallory;

  @BeforeAll
  static void start() throws Exception {
    certs = TlsFixture.create(dir, "ca");
    cluster = HttpTestCluster.start(dir.resolve("nodes"), 1, tlsSettings(certs, "node1"));
    https = "https://127.0.0.1:" + cluster.launcher(1).httpsPort();
    anonymous = HttpsTest.client(certs.clientWithoutCertificate());
    alice = HttpsTest.client(certs.clientWithCertificate("alice"));
    mallory = HttpsTest.client(certs.clientWithCertificate("mallory"));
    cluster.createActiveType("t2", "{\"props\":{}}");

    Path adminPw = dir.resolve("admin.pw");
    Files.writeString(adminPw, "admin-secret\n");
    security("add-user", "admin", "password-file=" + adminPw);
    security("add-user", "bob", "password=bob-secret");
    security("add-user", "carol", "password=carol-secret");
    security("add-user", "dave", "password=dave-secret");
    security("add-user", "alice");
    security("add-user", "trusty");
    security("add-user", "ops");
    security("add-source", "all", "127.0.0.1/32", "password");
    security("add-source", "alice", "127.0.0.1/32", "certificate");
    security("add-source", "trusty", "127.0.0.1/32", "trust");
    security("add-source", "ops", "127.0.0.1/32", "certificate");
    security("grant", "partisan.admin,riak_kv.get,riak_kv.put", "on", "any", "to", "admin");
    security("grant", "riak_kv.get,riak_kv.put", "on", "default", "to", "carol");
    security("grant", "riak_kv.get,riak_kv.put", "on", "default", "b1", "to", "dave");
    security("grant", "riak_kv.get", "on", "any", "to", "alice,trusty");
    security("grant", "partisan.admin", "on", "any", "to", "ops");
    security("enable");
  }

  @AfterAll
  static void stop() {
    for (HttpClient c : new HttpClient[] {anonymous, alice, mallory}) {
      if (c != null) {
        c.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A node's TLS files (trusting {@code certs}' CA) and an HTTPS port. */
  static Map<String, String> tlsSettings(TlsFixture certs, String node) {
    TlsSettings files = certs.issue(node);
    Map<String, String> s = new TreeMap<>();
    s.put("tls.certfile", files.certificate().toString());
    s.put("tls.keyfile", files.privateKey().toString());
    s.put("tls.cacertfile", files.trustedCa().toString());
    s.put("http.https_port", "0");
    return s;
  }

  /** Runs {@code admin security ARGS} on node 1 in plaintext (security still off). */
  private static void security(String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "--url", cluster.url(1), "security"));
    all.addAll(List.of(args));
    Run run = cli(all.toArray(String[]::new));
    if (run.exit() != 0) {
      throw new AssertionError(String.join(" ", args) + ": " + run.err());
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> send(
      HttpClient http, String method, String url, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "text/plain");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> as(String user, String password, String method, String path)
      throws Exception {
    return send(anonymous, method, https + path, basic(user, password), null);
  }

  static HttpResponse<String> putAs(String user, String password, String path, String value)
      throws Exception {
    return send(anonymous, "PUT", https + path, basic(user, password), value);
  }

  @Test
  @Order(1)
  void plaintextIsRefusedWithRiaks426ButPingStillAnswers() throws Exception {
    var get = cluster.get(cluster.url(1) + "/buckets/b/keys/k");
    assertThat(get.statusCode()).isEqualTo(426);
    assertThat(get.body())
        .isEqualTo(
            "Security is enabled and Riak does not accept credentials over HTTP. Try HTTPS"
                + " instead.\n");
    // Even with credentials, and even on the admin endpoints: nothing is taken in plaintext.
    var admin =
        cluster.get(
            cluster.url(1) + "/admin/member-status",
            "Authorization",
            basic("admin", "admin-secret"));
    assertThat(admin.statusCode()).isEqualTo(426);
    var ping = cluster.get(cluster.url(1) + "/ping");
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("OK");
    assertThat(send(anonymous, "GET", https + "/ping", null, null).body()).isEqualTo("OK");
  }

  @Test
  @Order(2)
  void httpsWithoutOrWithBadCredentialsIs401WithTheBasicChallenge() throws Exception {
    var none = send(anonymous, "GET", https + "/buckets/b/keys/k", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Riak\"");

    // Checked before the other before-handlers: whether a bucket type exists is not told either.
    var unknownType = send(anonymous, "GET", https + "/types/nosuch/buckets/b/keys/k", null, null);
    assertThat(unknownType.statusCode()).isEqualTo(401);

    for (String malformed :
        List.of(
            "Bearer abc", "Basic not-base64!", "Basic " + b64("no-colon"), "Basic " + b64(":x"))) {
      var r = send(anonymous, "GET", https + "/buckets/b/keys/k", malformed, null);
      assertThat(r.statusCode()).as(malformed).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Riak\"");
    }

    var wrongPassword = as("bob", "not-bobs", "GET", "/buckets/b/keys/k");
    var unknownUser = as("nobody", "bob-secret", "GET", "/buckets/b/keys/k");
    var noPassword = as("bob", "", "GET", "/buckets/b/keys/k");
    for (var r : List.of(wrongPassword, unknownUser, noPassword)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Riak\"");
      // The same answer whatever was wrong: a client cannot learn which users exist.
      assertThat(r.body()).isEqualTo("authentication failed\n");
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(3)
  void aUserWithoutTheGrantGets403AndNothingIsWritten() throws Exception {
    var put = putAs("bob", "bob-secret", "/buckets/b/keys/refused", "v");
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(put.body())
        .isEqualTo("Permission denied: user 'bob' does not have 'riak_kv.put' on default/b\n");
    var post = send(anonymous, "POST", https + "/buckets/b/keys", basic("bob", "bob-secret"), "v");
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(as("admin", "admin-secret", "GET", "/buckets/b/keys/refused").statusCode())
        .isEqualTo(404);
    assertThat(as("admin", "admin-secret", "GET", "/buckets/b/keys?keys=true").statusCode())
        .as("admin has no riak_kv.list_keys")
        .isEqualTo(403);

    // Bucket names that are not text are printed escaped.
    var bytes = as("bob", "bob-secret", "GET", "/buckets/%FF%0A/keys/k");
    assertThat(bytes.statusCode()).isEqualTo(403);
    assertThat(bytes.body()).endsWith("on default/%FF%0A\n");

    // A refused bucket-type change changes nothing either.
    var setType =
        send(
            anonymous,
            "PUT",
            https + "/types/t2/props",
            basic("admin", "admin-secret"),
            "{\"props\":{\"n_val\":1}}");
    assertThat(setType.statusCode()).isEqualTo(403);
    assertThat(setType.body()).contains("'riak_core.set_bucket_type' on t2\n");
    assertThat(cluster.node(1).bucketTypes().status("t2").orElseThrow().props().nVal())
        .isEqualTo(3);
  }

  @Test
  @Order(4)
  void aGrantOnATypeOrABucketLetsOnlyThatScopeThrough() throws Exception {
    assertThat(putAs("carol", "carol-secret", "/buckets/any/keys/k", "c").statusCode())
        .isEqualTo(204);
    assertThat(putAs("carol", "carol-secret", "/types/default/buckets/x/keys/k", "c").statusCode())
        .isEqualTo(204);
    var otherType = putAs("carol", "carol-secret", "/types/t2/buckets/x/keys/k", "c");
    assertThat(otherType.statusCode()).isEqualTo(403);
    assertThat(otherType.body()).contains("on t2/x");
    assertThat(as("carol", "carol-secret", "DELETE", "/buckets/any/keys/k").statusCode())
        .as("carol has no riak_kv.delete")
        .isEqualTo(403);
    // list_buckets is a type-level permission: a grant of get and put on the type does not cover
    // it.
    var listBuckets = as("carol", "carol-secret", "GET", "/buckets?buckets=true");
    assertThat(listBuckets.statusCode()).isEqualTo(403);
    assertThat(listBuckets.body()).endsWith("'riak_kv.list_buckets' on default\n");

    assertThat(putAs("dave", "dave-secret", "/buckets/b1/keys/k", "d").statusCode()).isEqualTo(204);
    var got = as("dave", "dave-secret", "GET", "/buckets/b1/keys/k");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("d");
    var head = as("dave", "dave-secret", "HEAD", "/buckets/b1/keys/k");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(putAs("dave", "dave-secret", "/buckets/b2/keys/k", "d").statusCode()).isEqualTo(403);
    assertThat(as("dave", "dave-secret", "HEAD", "/buckets/b2/keys/k").statusCode()).isEqualTo(403);
    assertThat(as("dave", "dave-secret", "GET", "/buckets/b1/props").statusCode())
        .as("no riak_core.get_bucket")
        .isEqualTo(403);
  }

  @Test
  @Order(5)
  void aCertificateSourceNeedsTheUsersOwnCertificate() throws Exception {
    putAs("admin", "admin-secret", "/buckets/certs/keys/k", "for alice");
    var withCert = send(alice, "GET", https + "/buckets/certs/keys/k", basic("alice", ""), null);
    assertThat(withCert.statusCode()).isEqualTo(200);
    assertThat(withCert.body()).isEqualTo("for alice");
    // The password is not what a certificate source checks.
    assertThat(
            send(alice, "GET", https + "/buckets/certs/keys/k", basic("alice", "x"), null)
                .statusCode())
        .isEqualTo(200);
    // Someone else's certificate, or none, does not make you alice.
    assertThat(
            send(mallory, "GET", https + "/buckets/certs/keys/k", basic("alice", ""), null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send(anonymous, "GET", https + "/buckets/certs/keys/k", basic("alice", ""), null)
                .statusCode())
        .isEqualTo(401);
    // A certificate alone is not a user name: Basic with the user name is still needed.
    assertThat(send(alice, "GET", https + "/buckets/certs/keys/k", null, null).statusCode())
        .isEqualTo(401);
  }

  @Test
  @Order(6)
  void aTrustSourceNeedsNoPassword() throws Exception {
    putAs("admin", "admin-secret", "/buckets/trusted/keys/k", "t");
    var r = as("trusty", "", "GET", "/buckets/trusted/keys/k");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("t");
    assertThat(putAs("trusty", "", "/buckets/trusted/keys/k", "x").statusCode()).isEqualTo(403);
  }

  @Test
  @Order(7)
  void theConsoleIsForAnyAuthenticatedUser() throws Exception {
    for (String path :
        List.of(
            "/console", "/console/assets/app.js", "/console/api/snapshot", "/console/api/events")) {
      var r = send(anonymous, "GET", https + path, null, null);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
      assertThat(send(anonymous, "GET", https + path, basic("bob", "wrong"), null).statusCode())
          .as(path)
          .isEqualTo(401);
    }
    var snapshot = as("bob", "bob-secret", "GET", "/console/api/snapshot");
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(snapshot.body()).contains("\"security\":true").contains("\"version\":1");
    // Past the check, a missing asset is the console's own 404, not a refusal.
    assertThat(as("bob", "bob-secret", "GET", "/console/assets/missing.js").statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(7)
  void statsForAnyUserAndTheAdminEndpointsForPartisanAdminOnly() throws Exception {
    assertThat(as("bob", "bob-secret", "GET", "/stats").statusCode()).isEqualTo(200);
    assertThat(as("bob", "bob-secret", "GET", "/metrics").statusCode()).isEqualTo(200);
    // Javalin answers HEAD on GET routes with the GET endpoint: the GET rule applies.
    assertThat(as("bob", "bob-secret", "HEAD", "/stats").statusCode()).isEqualTo(200);
    assertThat(as("bob", "bob-secret", "HEAD", "/buckets/b/props").statusCode()).isEqualTo(403);
    assertThat(send(anonymous, "GET", https + "/stats", null, null).statusCode()).isEqualTo(401);

    var bob = as("bob", "bob-secret", "GET", "/admin/member-status");
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.body()).endsWith("'partisan.admin' on any\n");
    // carol's grant on a type does not reach cluster-wide operations.
    assertThat(as("carol", "carol-secret", "GET", "/admin/security").statusCode()).isEqualTo(403);
    var status = as("admin", "admin-secret", "GET", "/admin/security");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("Security: enabled");
  }

  @Test
  @Order(8)
  void theAdminCliWorksEndToEndWithSecurityOn() throws Exception {
    Path pw = dir.resolve("cli.pw");
    Files.writeString(pw, "admin-secret\n");
    String ca = certs.caFile().toString();
    Run members =
        cli(
            "admin",
            "--url",
            https,
            "--cacert",
            ca,
            "--user",
            "admin",
            "--password-file",
            pw.toString(),
            "member-status");
    assertThat(members.exit()).as(members.err()).isZero();
    assertThat(members.out()).contains("Valid:1 / Leaving:0");

    Run anonymousCli = cli("admin", "--url", https, "--cacert", ca, "member-status");
    assertThat(anonymousCli.exit()).isNotZero();
    assertThat(anonymousCli.err()).contains("pass --user NAME with --password-file FILE");
    Run plaintextCli = cli("admin", "--url", cluster.url(1), "member-status");
    assertThat(plaintextCli.exit()).isEqualTo(1);
    assertThat(plaintextCli.err()).contains("Try HTTPS instead").contains("use its https:// --url");

    // An operator with a certificate source needs no password: --cert and --user suffice.
    TlsSettings ops = certs.issue("ops");
    Run withCertificate =
        cli(
            "admin",
            "--url",
            https,
            "--cacert",
            ca,
            "--cert",
            ops.certificate().toString(),
            "--key",
            ops.privateKey().toString(),
            "--user",
            "ops",
            "ring-status");
    assertThat(withCertificate.exit()).as(withCertificate.err()).isZero();

    Path bobPw = dir.resolve("bob.pw");
    Files.writeString(bobPw, "bob-secret\n");
    Run bob =
        cli(
            "admin",
            "--url",
            https,
            "--cacert",
            ca,
            "--user",
            "bob",
            "--password-file",
            bobPw.toString(),
            "security",
            "status");
    assertThat(bob.exit()).isNotZero();
    assertThat(bob.err()).contains("partisan.admin");
  }

  @Test
  @Order(9)
  void repeatedRequestsDoNotRecomputeThePasswordHash() throws Exception {
    SecurityService security = cluster.launcher(1).kv().security();
    long before = security.passwordChecks();

    int requests = 100;
    for (int i = 0; i < requests; i++) {
      assertThat(as("dave", "dave-secret", "GET", "/buckets/b1/keys/k").statusCode())
          .isEqualTo(200);
    }

    // At most the first request ran PBKDF2; the others were answered from the verification cache.
    assertThat(security.passwordChecks() - before).isLessThanOrEqualTo(1);
    assertThat(as("dave", "wrong-secret", "GET", "/buckets/b1/keys/k").statusCode()).isEqualTo(401);
    assertThat(security.passwordChecks() - before)
        .as("a wrong password is always checked")
        .isBetween(1L, 2L);
  }

  @Test
  @Order(10)
  void everyServedEndpointHasARule() {
    HttpSettings settings =
        new HttpSettings("127.0.0.1", 0, 8192, Duration.ofSeconds(30), true, 1024 * 1024);
    try (HttpServer server = HttpServer.start(cluster.node(1), settings)) {
      RouteRules rules = RouteRules.standard();
      List<Endpoint> endpoints = server.endpoints();
      assertThat(endpoints).hasSizeGreaterThan(50);
      List<String> unguarded =
          endpoints.stream()
              .filter(e -> rules.find(e.method, e.path) == null)
              .map(e -> e.method + " " + e.path)
              .toList();
      assertThat(unguarded).as("endpoints without a security rule").isEmpty();
      assertThat(
              endpoints.stream()
                  .filter(e -> rules.find(e.method, e.path).access() == RouteRule.Access.OPEN)
                  .map(e -> e.method + " " + e.path))
          .containsExactly("GET /ping");
    }
  }

  @Test
  @Order(11)
  void aRouteWithoutARuleIsRefusedEvenToTheAdmin() throws Exception {
    HttpSettings settings =
        new HttpSettings(
            "127.0.0.1", 0, 8192, Duration.ofSeconds(30), false, 1024 * 1024, true, "127.0.0.1", 0);
    RouteRules rules =
        RouteRules.standard().without(HandlerType.GET, "/buckets/{bucket}/keys/{key}");
    try (HttpServer server =
        HttpServer.start(cluster.node(1), settings, certs.material("node1b"), rules)) {
      String url = "https://127.0.0.1:" + server.httpsPort() + "/buckets/b1/keys/k";
      var r = send(anonymous, "GET", url, basic("admin", "admin-secret"), null);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("no permission is defined for this route\n");
      // Unauthenticated clients still learn nothing beyond 401.
      assertThat(send(anonymous, "GET", url, null, null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  @Order(12)
  void disablingSecurityRestoresPlainHttp() throws Exception {
    Path pw = dir.resolve("admin2.pw");
    Files.writeString(pw, "admin-secret\n");
    Run disable =
        cli(
            "admin",
            "--url",
            https,
            "--cacert",
            certs.caFile().toString(),
            "--user",
            "admin",
            "--password-file",
            pw.toString(),
            "security",
            "disable");
    assertThat(disable.exit()).as(disable.err()).isZero();
    var got = cluster.get(cluster.url(1) + "/buckets/b1/keys/k");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("d");
    assertThat(send(anonymous, "GET", https + "/buckets/b1/keys/k", null, null).statusCode())
        .isEqualTo(200);
  }
}
