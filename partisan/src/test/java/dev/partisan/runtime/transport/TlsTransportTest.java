package dev.partisan.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.testing.LeakLog;
import dev.partisan.runtime.testing.TestMessages;
import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings.ClientAuth;
import dev.partisan.runtime.transport.HandshakeException.Reason;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS on the cluster transport, over real loopback TCP: nodes of one CA connect, and every mismatch
 * (another CA, TLS against plaintext either way, a wrong secret inside TLS) is refused with the
 * same reason on both sides, once, with a warning that says why.
 */
class TlsTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private EventLoopGroup group;
  private final List<Transport> transports = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private DevCertificates.Authority clusterCa;

  private static LeakLog leaks;

  @BeforeAll
  static void paranoidLeakDetection() {
    leaks = LeakLog.install();
  }

  @AfterAll
  static void noBufferLeaked() {
    leaks.collect();
    try {
      assertThat(leaks.reports()).as("leak reports").isEmpty();
    } finally {
      leaks.uninstall();
    }
  }

  @BeforeEach
  void start() {
    group = NettyTransports.newGroup(2, "tls-test");
    clusterCa = DevCertificates.createAuthority("cluster-ca", Duration.ofDays(1));
    logs.start();
    ((Logger) LoggerFactory.getLogger(HandshakeHandler.class)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(HandshakeHandler.class)).detachAppender(logs);
    transports.forEach(Transport::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private TransportTls tls(DevCertificates.Authority ca, String name) {
    return TransportTls.of(material(ca, name), ClientAuth.REQUIRE);
  }

  private TlsMaterial material(DevCertificates.Authority ca, String certificateName) {
    Path caDir = dir.resolve(ca.certificate().getSerialNumber().toString(16));
    return TlsMaterial.load(
        ca.writeNodeFiles(caDir, certificateName, List.of("127.0.0.1"), Duration.ofDays(1)));
  }

  /** Node names bound to certificates, on a given provider. */
  private TransportTls bound(String certificateName, TlsProvider provider) {
    return new TransportTls(
        material(clusterCa, certificateName), ClientAuth.REQUIRE, true, provider, true);
  }

  private Transport node(String name, String secret, TransportTls tls) throws Exception {
    Map<String, ChannelSpec> channels =
        Map.of(
            ChannelSpec.DEFAULT,
            ChannelSpec.named(ChannelSpec.DEFAULT),
            ChannelSpec.MEMBERSHIP,
            ChannelSpec.named(ChannelSpec.MEMBERSHIP));
    TypeRegistry types = new TypeRegistry();
    TestMessages.register(types);
    Transport t =
        new Transport(
            new NodeId(name, "127.0.0.1", 0, System.nanoTime()),
            new Cluster("c", secret.getBytes(), channels),
            TestTransportSettings.quickTls(tls),
            types,
            new InboundSink() {
              @Override
              public void deliver(InboundMessage message) {}

              @Override
              public void peerActive(NodeId peer) {}
            },
            group,
            null,
            NettyTransports.detect());
    transports.add(t);
    t.bind("127.0.0.1", 0);
    return t;
  }

  private static Reason probeFailure(Transport from, Transport to) {
    CompletableFuture<NodeId> probe = from.probe("127.0.0.1", to.self().port());
    try {
      probe.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(HandshakeException.class);
      return ((HandshakeException) e.getCause()).reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the probe succeeded");
  }

  /** Exactly one failure for {@code reason} on each side: a refusal, so the probe did not retry. */
  private static void reportedOnceByBoth(Transport dialer, Transport acceptor, Reason reason) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dialer.handshakeFailures(reason)).as("dialer").isEqualTo(1);
              assertThat(acceptor.handshakeFailures(reason)).as("acceptor").isEqualTo(1);
            });
    assertThat(dialer.connectionCount(acceptor.self().name())).isZero();
    assertThat(acceptor.connectionCount(dialer.self().name())).isZero();
  }

  /** The warnings logged, one line each. */
  private List<String> warnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void nodesOfOneAuthorityConnectOverTls() throws Exception {
    Transport a = node("a", "secret", tls(clusterCa, "a"));
    Transport b = node("b", "secret", tls(clusterCa, "b"));
    assertThat(a.probe("127.0.0.1", b.self().port()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("b");
    assertThat(a.connectionCount("b")).isEqualTo(1);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void aCertificateFromAnotherAuthorityNeverConnects() throws Exception {
    Transport a = node("a", "secret", tls(clusterCa, "a"));
    DevCertificates.Authority otherCa =
        DevCertificates.createAuthority("other", Duration.ofDays(1));
    Transport intruder = node("intruder", "secret", tls(otherCa, "intruder"));

    assertThat(probeFailure(intruder, a)).isEqualTo(Reason.TLS_FAILED);
    reportedOnceByBoth(intruder, a, Reason.TLS_FAILED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .as("one warning per side")
                    .hasSize(2)
                    .anySatisfy(w -> assertThat(w).contains("not signed by a CA this node trusts"))
                    .anySatisfy(w -> assertThat(w).contains("refused our certificate")));
  }

  @Test
  void aPlaintextPeerIsToldThatTlsIsRequired() throws Exception {
    Transport secure = node("secure", "secret", tls(clusterCa, "secure"));
    Transport plain = node("plain", "secret", null);

    assertThat(probeFailure(plain, secure)).isEqualTo(Reason.TLS_REQUIRED);
    reportedOnceByBoth(plain, secure, Reason.TLS_REQUIRED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .hasSize(2)
                    .anySatisfy(w -> assertThat(w).contains("this node requires TLS"))
                    .anySatisfy(
                        w -> assertThat(w).contains("rejected by peer: peer requires TLS")));
    // Neither is harmed: each still talks to a peer like itself.
    Transport secure2 = node("secure2", "secret", tls(clusterCa, "secure2"));
    Transport plain2 = node("plain2", "secret", null);
    assertThat(secure2.probe("127.0.0.1", secure.self().port()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("secure");
    assertThat(plain2.probe("127.0.0.1", plain.self().port()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("plain");
  }

  @Test
  void aTlsPeerOfAPlaintextNodeFailsOnBothSides() throws Exception {
    Transport plain = node("plain", "secret", null);
    Transport secure = node("secure", "secret", tls(clusterCa, "secure"));

    assertThat(probeFailure(secure, plain)).isEqualTo(Reason.TLS_FAILED);
    reportedOnceByBoth(secure, plain, Reason.TLS_FAILED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .hasSize(2)
                    .anySatisfy(
                        w ->
                            assertThat(w)
                                .contains("the peer speaks TLS and this node has tls.cluster off"))
                    .anySatisfy(w -> assertThat(w).contains("during the TLS handshake")));
  }

  @Test
  void theSecretIsStillCheckedInsideTls() throws Exception {
    Transport a = node("a", "secret", tls(clusterCa, "a"));
    Transport intruder = node("intruder", "not-the-secret", tls(clusterCa, "intruder"));

    assertThat(probeFailure(intruder, a)).isEqualTo(Reason.AUTHENTICATION_FAILED);
    reportedOnceByBoth(intruder, a, Reason.AUTHENTICATION_FAILED);
  }

  @Test
  void jdkAndOpenSslNodesTalkWithNamesAndHostsVerified() throws Exception {
    assumeTrue(OpenSsl.isAvailable(), "OpenSSL does not load here");
    Transport a = node("a", "secret", bound("a", TlsProvider.JDK));
    Transport b = node("b", "secret", bound("b", TlsProvider.OPENSSL));
    assertThat(a.probe("127.0.0.1", b.self().port()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("b");
    Transport c = node("c", "secret", bound("c", TlsProvider.OPENSSL));
    assertThat(c.probe("127.0.0.1", a.self().port()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("a");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void withNamesBoundACertificateOfAnotherNodeIsRefused() throws Exception {
    Transport a = node("a", "secret", bound("a", TlsProvider.AUTO));
    // b holds a genuine certificate of the cluster CA, and the secret, but one issued to "c".
    Transport b = node("b", "secret", bound("c", TlsProvider.AUTO));

    assertThat(probeFailure(b, a)).isEqualTo(Reason.CERTIFICATE_MISMATCH);
    reportedOnceByBoth(b, a, Reason.CERTIFICATE_MISMATCH);
    assertThat(warnings())
        .anySatisfy(w -> assertThat(w).contains("claims to be b but its certificate names [c]"));
  }

  @Test
  void aTlsHandshakeThatStallsIsATimeoutNotARefusal() throws Exception {
    Transport a = node("a", "secret", tls(clusterCa, "a"));
    try (Socket raw = new Socket("127.0.0.1", a.self().port())) {
      // The start of a TLS record, then nothing: the transport's timer ends it, as a TIMEOUT
      // (which a probe retries), not as a TLS failure (which is final).
      raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01});
      raw.getOutputStream().flush();
      await().atMost(WAIT).until(() -> a.handshakeFailures(Reason.TIMEOUT) == 1);
    }
    assertThat(a.handshakeFailures(Reason.TLS_FAILED)).isZero();
  }
}
