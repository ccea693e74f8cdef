package dev.partisan.http;

import static dev.partisan.http.AdminCliTest.cli;
import static dev.partisan.http.SecurityHttpTest.basic;
import static dev.partisan.http.SecurityHttpTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partisan.http.AdminCliTest.Run;
import dev.partisan.runtime.testing.TlsFixture;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security spreads with the cluster metadata: a user, source and grant created and security enabled
 * on node 1 are enforced by node 3's HTTP API once they have converged, and the user can use node
 * 3.
 */
class SecurityClusterHttpTest {
  @TempDir static Path dir;
  static TlsFixture certs;
  static HttpTestCluster cluster;
  static HttpClient http;

  @BeforeAll
  static void start() {
    certs = TlsFixture.create(dir, "ca");
    cluster =
        HttpTestCluster.start(dir.resolve("nodes"), 3, SecurityHttpTest.tlsSettings(certs, "node"));
    http = HttpsTest.client(certs.clientWithoutCertificate());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String https(int node) {
    return "https://127.0.0.1:" + cluster.launcher(node).httpsPort();
  }

  private static void security(String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "--url", cluster.url(1), "security"));
    all.addAll(List.of(args));
    Run run = cli(all.toArray(String[]::new));
    assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
  }

  @Test
  void aUserCreatedOnNodeOneCanUseNodeThreeOnceConverged() throws Exception {
    security("add-user", "app", "password=app-secret");
    security("add-source", "app", "127.0.0.1/32", "password");
    security("grant", "partisan.admin,riak_kv.get,riak_kv.put", "on", "any", "to", "app");
    security("enable");

    String app = basic("app", "app-secret");
    String url3 = https(3) + "/buckets/spread/keys/k";
    // Node 3 enforces security once the flag has spread (plaintext refused, no entry without
    // credentials), and then lets app in once the user, source and grant have too.
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> cluster.get(cluster.url(3) + "/buckets/spread/keys/k").statusCode() == 426);
    assertThat(send(http, "GET", url3, null, null).statusCode()).isEqualTo(401);
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> send(http, "PUT", url3, app, "from node 3").statusCode() == 204);
    assertThat(send(http, "GET", url3, basic("app", "wrong"), null).statusCode()).isEqualTo(401);
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> cluster.get(cluster.url(2) + "/buckets/spread/keys/k").statusCode() == 426);
    var read = send(http, "GET", https(2) + "/buckets/spread/keys/k", app, null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("from node 3");

    // Revoked on node 1, refused on node 3 once that has spread.
    Run revoke =
        cli(
            "admin",
            "--url",
            https(1),
            "--cacert",
            certs.caFile().toString(),
            "--user",
            "app",
            "--password-file",
            writePassword("app-secret").toString(),
            "security",
            "revoke",
            "riak_kv.put",
            "on",
            "any",
            "from",
            "app");
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    await()
        .atMost(HttpTestCluster.WAIT)
        .until(() -> send(http, "PUT", url3, app, "again").statusCode() == 403);
    assertThat(send(http, "GET", url3, app, null).body()).isEqualTo("from node 3");
  }

  private static Path writePassword(String password) throws java.io.IOException {
    Path f = dir.resolve("app.pw");
    java.nio.file.Files.writeString(f, password + "\n");
    return f;
  }
}
