package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.partisan.http.api.RequestTls;
import dev.partisan.http.config.HttpSettings;
import dev.partisan.http.config.NodeConfig;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.runtime.testing.TlsFixture;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import io.javalin.Javalin;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-facing listeners over real TLS on loopback: HTTPS beside plain HTTP on a real node
 * (same routes, same store), HTTPS only, PB switched to TLS with RpbStartTls on the node, the
 * {@link RequestTls} hook, and the settings that must go together.
 */
class HttpsTest {
  @TempDir static Path dir;
  static TlsFixture certs;
  static HttpTestCluster cluster;

  @BeforeAll
  static void start() {
    certs = TlsFixture.create(dir, "ca");
    cluster = HttpTestCluster.start(dir.resolve("nodes"), 1, tlsSettings("node1", "0"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The node's TLS files and an HTTPS port. */
  static Map<String, String> tlsSettings(String node, String httpsPort) {
    TlsSettings files = certs.issue(node);
    Map<String, String> s = new TreeMap<>();
    s.put("tls.certfile", files.certificate().toString());
    s.put("tls.keyfile", files.privateKey().toString());
    s.put("tls.cacertfile", files.trustedCa().toString());
    s.put("http.https_port", httpsPort);
    return s;
  }

  static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsServesTheSameRoutesAndStoreAsPlainHttp() throws Exception {
    NodeLauncher node = cluster.launcher(1);
    assertThat(node.httpsPort()).isPositive().isNotEqualTo(node.httpPort());
    String https = "https://127.0.0.1:" + node.httpsPort();
    try (HttpClient http = client(certs.clientWithoutCertificate())) {
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(https + "/buckets/tls/keys/k1"))
                  .header("Content-Type", "text/plain")
                  .PUT(HttpRequest.BodyPublishers.ofString("secret value"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(204);
      HttpResponse<String> got = get(http, https + "/buckets/tls/keys/k1");
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo("secret value");
      assertThat(get(http, https + "/ping").body()).isEqualTo("OK");
    }
    assertThat(cluster.get(cluster.url(1) + "/buckets/tls/keys/k1").body())
        .isEqualTo("secret value");
  }

  @Test
  void anHttpsClientThatDoesNotTrustTheNodesAuthorityIsRefused() {
    TlsFixture other = TlsFixture.create(dir, "other-ca");
    try (HttpClient http = client(other.clientWithoutCertificate())) {
      assertThatThrownBy(
              () -> get(http, "https://127.0.0.1:" + cluster.launcher(1).httpsPort() + "/ping"))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void pbSwitchesToTlsOnTheNode() throws Exception {
    var context = TlsContexts.nettyClient(certs.material("bench"), true);
    try (PbClient pb =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", cluster.pbPort(1))),
            PbClientSettings.defaults().withEventLoopThreads(1).withStartTls(context))) {
      ByteString bucket = ByteString.copyFromUtf8("pbtls");
      ByteString key = ByteString.copyFromUtf8("k");
      pb.put(
              0,
              RpbPutReq.newBuilder()
                  .setBucket(bucket)
                  .setKey(key)
                  .setContent(RpbContent.newBuilder().setValue(ByteString.copyFromUtf8("over tls")))
                  .build())
          .get(10, TimeUnit.SECONDS);
      var got =
          pb.get(0, RpbGetReq.newBuilder().setBucket(bucket).setKey(key).build())
              .get(10, TimeUnit.SECONDS);
      assertThat(got.getContent(0).getValue().toStringUtf8()).isEqualTo("over tls");
    }
  }

  @Test
  void withPlaintextOffOnlyHttpsIsServed() throws Exception {
    int plainPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      plainPort = probe.getLocalPort();
    }
    HttpTestCluster solo = new HttpTestCluster(dir.resolve("solo"), Map.of());
    try (solo) {
      Map<String, String> s = new TreeMap<>(solo.settings("solo"));
      s.putAll(tlsSettings("solo", "0"));
      s.put("http.port", Integer.toString(plainPort));
      s.put("http.plaintext", "false");
      NodeLauncher node = NodeLauncher.start(NodeConfig.of(s), solo.testTimings());
      try (node) {
        assertThat(node.httpPort()).isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", plainPort).close())
            .isInstanceOf(ConnectException.class);
        try (HttpClient http = client(certs.clientWithoutCertificate())) {
          assertThat(get(http, "https://127.0.0.1:" + node.httpsPort() + "/ping").body())
              .isEqualTo("OK");
        }
      }
    }
  }

  @Test
  void settingsThatCannotWorkStopTheNodeAtStart() {
    Map<String, String> noMaterial = Map.of("http.https_port", "8443");
    assertThatThrownBy(() -> NodeConfig.of(noMaterial))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'http.https_port' needs 'tls.certfile'");
    Map<String, String> nothingServed = Map.of("http.plaintext", "false");
    assertThatThrownBy(() -> NodeConfig.of(nothingServed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http.plaintext=false needs http.https_port");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("http.https_port", "-2")))
        .hasMessageContaining("must be -1 (none) or 0..65535");
    assertThat(NodeConfig.of(Map.of("http.https_port", "")).http().https()).isFalse();
    assertThat(NodeConfig.of(Map.of("http.https_port", "-1")).http().https()).isFalse();
  }

  @Test
  void devClusterNodesGetConsecutiveHttpsPorts() {
    var layout = new DevCluster.Layout(3, 8098, 9000, dir);
    Map<String, String> base = Map.of("http.https_port", "8443");
    assertThat(DevCluster.settings(base, layout, 1)).containsEntry("http.https_port", "8443");
    assertThat(DevCluster.settings(base, layout, 3))
        .containsEntry("http.https_port", "8445")
        .containsEntry("http.https_host", "127.0.0.1");
    assertThat(DevCluster.settings(Map.of("http.https_port", "0"), layout, 2))
        .containsEntry("http.https_port", "0");
    assertThat(DevCluster.settings(Map.of(), layout, 2)).doesNotContainKey("http.https_port");
  }

  @Test
  void requestTlsTellsRoutesAboutTheConnection() throws Exception {
    TlsMaterial material = certs.material("hook");
    HttpSettings settings =
        new HttpSettings(
            "127.0.0.1", 0, 65536, Duration.ofSeconds(30), false, 1024, true, "127.0.0.1", 0);
    HttpListeners[] listeners = new HttpListeners[1];
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              listeners[0] = HttpListeners.configure(config.jetty, settings, material);
              config.routes.get(
                  "/tls",
                  ctx ->
                      ctx.result(
                          "secure="
                              + RequestTls.secure(ctx)
                              + " cert="
                              + RequestTls.clientCertificate(ctx)
                                  .map(c -> c.getSubjectX500Principal().getName())
                                  .orElse("none")));
            });
    app.start();
    try {
      String plain = "http://127.0.0.1:" + listeners[0].plainPort() + "/tls";
      String https = "https://127.0.0.1:" + listeners[0].httpsPort() + "/tls";
      try (HttpClient anonymous = client(certs.clientWithoutCertificate());
          HttpClient alice = client(certs.clientWithCertificate("alice"))) {
        assertThat(get(anonymous, plain).body()).isEqualTo("secure=false cert=none");
        assertThat(get(anonymous, https).body()).isEqualTo("secure=true cert=none");
        assertThat(get(alice, https).body()).isEqualTo("secure=true cert=CN=alice");
      }
    } finally {
      app.stop();
    }
  }

  @Test
  void theAdminCliSpeaksHttps() {
    String url = "https://127.0.0.1:" + cluster.launcher(1).httpsPort();
    String ca = certs.caFile().toString();
    AdminCliTest.Run trusted = AdminCliTest.cli("admin", "--url", url, "--cacert", ca, "ping");
    assertThat(trusted.exit()).as(trusted.err()).isZero();
    assertThat(trusted.out()).isEqualTo("OK\n");

    TlsSettings cli = certs.issue("operator");
    AdminCliTest.Run withCertificate =
        AdminCliTest.cli(
            "admin",
            "--url",
            url,
            "--cacert",
            ca,
            "--cert",
            cli.certificate().toString(),
            "--key",
            cli.privateKey().toString(),
            "member-status");
    assertThat(withCertificate.exit()).as(withCertificate.err()).isZero();

    AdminCliTest.Run untrusted = AdminCliTest.cli("admin", "--url", url, "ping");
    assertThat(untrusted.exit()).isEqualTo(3);

    AdminCliTest.Run half =
        AdminCliTest.cli("admin", "--url", url, "--cert", cli.certificate().toString(), "ping");
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.err()).contains("--cert and --key go together");
  }
}
