package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.basho.riak.client.api.RiakClient;
import com.basho.riak.client.api.commands.kv.FetchValue;
import com.basho.riak.client.api.commands.kv.StoreValue;
import com.basho.riak.client.core.NoNodesAvailableException;
import com.basho.riak.client.core.RiakCluster;
import com.basho.riak.client.core.RiakNode;
import com.basho.riak.client.core.query.Location;
import com.basho.riak.client.core.query.Namespace;
import com.basho.riak.client.core.query.RiakObject;
import com.basho.riak.client.core.util.BinaryValue;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.runtime.testing.TlsFixture;
import dev.partisan.runtime.tls.TlsSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * riak-client 2.1.1, unmodified, against a real node with TLS material and security enabled: it
 * sends RpbStartTls and RpbAuthReq itself when built with {@code withAuth(user, password,
 * trustStore)} (the development CA in a KeyStore). Users are made through the node's {@link
 * SecurityService}: {@code app} may get and put, {@code reader} may only get.
 */
class RiakClientSecurityTest {
  @TempDir static Path dir;
  static HttpTestCluster cluster;
  static KeyStore trustStore;

  @BeforeAll
  static void start() throws Exception {
    TlsFixture certs = TlsFixture.create(dir, "ca");
    TlsSettings files = certs.issue("node1");
    Map<String, String> settings = new TreeMap<>();
    settings.put("tls.certfile", files.certificate().toString());
    settings.put("tls.keyfile", files.privateKey().toString());
    settings.put("tls.cacertfile", files.trustedCa().toString());
    settings.put("pb.auth_failure_delay_ms", "200");
    cluster = HttpTestCluster.start(dir.resolve("nodes"), 1, settings);

    SecurityService security = cluster.launcher(1).kv().security();
    for (String user : List.of("admin", "app", "reader")) {
      security.addUser(user, Map.of("password", user + "-secret")).join();
      security.addSource(List.of(user), "127.0.0.1/32", "password", Map.of()).join();
    }
    security.grant(Set.of(Permission.PARTISAN_ADMIN), Scope.ANY, List.of("admin")).join();
    security
        .grant(
            Set.of(Permission.RIAK_KV_GET, Permission.RIAK_KV_PUT),
            Scope.type("default"),
            List.of("app"))
        .join();
    security.grant(Set.of(Permission.RIAK_KV_GET), Scope.ANY, List.of("reader")).join();
    security.enable().join();

    trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
    trustStore.load(null, null);
    try (InputStream in = Files.newInputStream(certs.caFile())) {
      trustStore.setCertificateEntry(
          "partisan-dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A client of node 1 that starts TLS and authenticates as {@code user}. */
  private static RiakClient as(String user, String password) throws Exception {
    RiakNode node =
        new RiakNode.Builder()
            .withRemoteAddress("127.0.0.1")
            .withRemotePort(cluster.pbPort(1))
            .withAuth(user, password, trustStore)
            .build();
    RiakCluster riak = new RiakCluster.Builder(node).build();
    riak.start();
    return new RiakClient(riak);
  }

  private static void shutdown(RiakClient client) throws Exception {
    client.shutdown().get(10, TimeUnit.SECONDS);
  }

  private static StoreValue store(Location loc, String value) {
    RiakObject obj =
        new RiakObject().setContentType("text/plain").setValue(BinaryValue.create(value));
    return new StoreValue.Builder(obj).withLocation(loc).build();
  }

  private static Throwable failure(RiakClient client, FetchValue fetch) throws Exception {
    var future = client.executeAsync(fetch);
    future.await(30, TimeUnit.SECONDS);
    assertThat(future.isDone()).isTrue();
    assertThat(future.isSuccess()).isFalse();
    return future.cause();
  }

  @Test
  void withCredentialsAndTheCaItStoresAndFetches() throws Exception {
    RiakClient app = as("app", "app-secret");
    try {
      Location loc = new Location(new Namespace("secure"), "k1");
      app.execute(store(loc, "over tls, authenticated"));
      FetchValue.Response got = app.execute(new FetchValue.Builder(loc).build());
      assertThat(got.getValue(RiakObject.class).getValue().toString())
          .isEqualTo("over tls, authenticated");
    } finally {
      shutdown(app);
    }
  }

  /**
   * riak-client keeps the reason to itself: its node logs the RiakResponseException of the failed
   * connection ("Failure during Auth") and the command fails for want of a connection. The test
   * reads the reason where riak-client puts it.
   */
  @Test
  void aWrongPasswordFailsWithAuthenticationFailed() throws Exception {
    Logger riakNode = (Logger) LoggerFactory.getLogger(RiakNode.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    riakNode.addAppender(seen);
    RiakClient wrong = as("app", "not-the-password");
    try {
      Throwable cause =
          failure(
              wrong, new FetchValue.Builder(new Location(new Namespace("secure"), "k")).build());
      assertThat(cause).isInstanceOf(NoNodesAvailableException.class);
      assertThat(seen.list)
          .filteredOn(e -> e.getFormattedMessage().startsWith("Failure during Auth"))
          .isNotEmpty()
          .allSatisfy(
              e ->
                  assertThat(e.getThrowableProxy().getMessage())
                      .isEqualTo("Authentication failed"));
    } finally {
      riakNode.detachAppender(seen);
      shutdown(wrong);
    }
  }

  @Test
  void withoutAuthenticationTheNodeAsksForStartTls() throws Exception {
    RiakClient anonymous = RiakClient.newClient(cluster.pbPort(1), "127.0.0.1");
    try {
      Throwable cause =
          failure(
              anonymous,
              new FetchValue.Builder(new Location(new Namespace("secure"), "k")).build());
      assertThat(chain(cause)).contains("Security is enabled, please STARTTLS first");
    } finally {
      shutdown(anonymous);
    }
  }

  @Test
  void aUserWithOnlyGetFetchesButIsRefusedAStore() throws Exception {
    Location loc = new Location(new Namespace("secure"), "reader-key");
    RiakClient app = as("app", "app-secret");
    RiakClient reader = as("reader", "reader-secret");
    try {
      app.execute(store(loc, "written by app"));
      FetchValue.Response got = reader.execute(new FetchValue.Builder(loc).build());
      assertThat(got.getValue(RiakObject.class).getValue().toString()).isEqualTo("written by app");
      assertThatThrownBy(() -> reader.execute(store(loc, "written by reader")))
          .hasMessageContaining(
              "Permission denied: user 'reader' does not have 'riak_kv.put' on default/secure");
      got = app.execute(new FetchValue.Builder(loc).build());
      assertThat(got.getValues())
          .extracting(o -> o.getValue().toString())
          .containsExactly("written by app");
    } finally {
      shutdown(reader);
      shutdown(app);
    }
  }

  /** Every message of a failure and its causes, for a text that may sit at any depth. */
  private static String chain(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c).append(" | ");
    }
    return b.toString();
  }
}
