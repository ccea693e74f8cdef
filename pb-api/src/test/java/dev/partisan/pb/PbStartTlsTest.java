package dev.partisan.pb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.partisan.pb.client.PbClient;
import dev.partisan.pb.client.PbClientSettings;
import dev.partisan.pb.client.PbConnectionException;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.proto.RiakKvMessages.RpbContent;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakMessages.RpbGetServerInfoResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import dev.partisan.runtime.testing.TlsFixture;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RpbStartTls over real sockets: a plaintext connection switches to TLS 1.3 and goes on serving;
 * the session sees the TLS and the client's certificate; refusals leave the connection usable; a
 * client that does not speak TLS after the answer is cut off without harming others. The server's
 * handlers here are test stubs (ping, and server info reporting what the session knows), except in
 * the store test, which runs the real node over TLS with the project's async client.
 */
class PbStartTlsTest {
  private static final int START_TLS = MessageCode.RPB_START_TLS.code();

  @TempDir Path dir;
  private TlsFixture certs;
  private PbServer server;

  @BeforeEach
  void start() {
    certs = TlsFixture.create(dir, "pb-ca");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Ping, and server info whose node field says what the session knows about TLS. */
  private static PbDispatcher sessionReporter() {
    PbDispatcher d = new PbDispatcher();
    d.onEmpty(
        MessageCode.RPB_PING_REQ,
        Access.open(),
        session -> CompletableFuture.completedFuture(PbResponse.empty(MessageCode.RPB_PING_RESP)));
    d.onEmpty(
        MessageCode.RPB_GET_SERVER_INFO_REQ,
        Access.open(),
        session -> {
          String cert =
              session
                  .clientCertificate()
                  .map(c -> c.getSubjectX500Principal().getName())
                  .orElse("none");
          String node = "tls=" + session.tlsActive() + " cert=" + cert;
          return CompletableFuture.completedFuture(
              PbResponse.of(
                  MessageCode.RPB_GET_SERVER_INFO_RESP,
                  RpbGetServerInfoResp.newBuilder()
                      .setNode(ByteString.copyFromUtf8(node))
                      .build()));
        });
    return d;
  }

  private int startServer(TlsMaterial tls) {
    server =
        PbServer.start(
            new PbSettings("127.0.0.1", 0, 1024 * 1024, 1),
            sessionReporter(),
            "test@node",
            PbApi.startTlsContext(tls));
    return server.port();
  }

  @Test
  void startTlsSwitchesTheConnectionAndTheSessionSeesTheClientCertificate() throws Exception {
    int port = startServer(certs.material("node"));
    try (PbWire plain = PbWire.plain(port)) {
      assertThat(plain.serverInfo()).isEqualTo("tls=false cert=none");
      try (PbWire tls = plain.startTls(certs.clientWithCertificate("alice"))) {
        tls.ping();
        assertThat(tls.serverInfo()).isEqualTo("tls=true cert=CN=alice");
      }
    }
  }

  @Test
  void aClientWithoutCertificateGetsTlsWithoutIdentity() throws Exception {
    int port = startServer(certs.material("node"));
    try (PbWire tls = PbWire.plain(port).startTls(certs.clientWithoutCertificate())) {
      assertThat(tls.serverInfo()).isEqualTo("tls=true cert=none");
    }
  }

  @Test
  void tls12IsAcceptedForRiaksJavaClientWithForwardSecretAeadSuitesOnly() throws Exception {
    int port = startServer(certs.material("node"));
    SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
    tls12.init(null, certs.material("trust-only").trustManagers().getTrustManagers(), null);
    try (PbWire tls = PbWire.plain(port).startTls(tls12, "TLSv1.2")) {
      assertThat(((SSLSocket) tls.socket).getSession().getCipherSuite()).isIn(PbApi.TLS12_CIPHERS);
      assertThat(tls.serverInfo()).isEqualTo("tls=true cert=none");
    }
    try (PbWire plain = PbWire.plain(port)) {
      plain.send(RawPbClient.frame(START_TLS, new byte[0]));
      assertThat(plain.read().code()).isEqualTo(START_TLS);
      SSLSocket weak =
          (SSLSocket) tls12.getSocketFactory().createSocket(plain.socket, "127.0.0.1", port, true);
      weak.setEnabledProtocols(new String[] {"TLSv1.2"});
      weak.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
      assertThatThrownBy(weak::startHandshake).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aSecondStartTlsIsAnErrorAndTheTlsConnectionGoesOn() throws Exception {
    int port = startServer(certs.material("node"));
    try (PbWire tls = PbWire.plain(port).startTls(certs.clientWithoutCertificate())) {
      // The refusal and a ping sent behind it in one write: the held ping is served too.
      tls.send(
          RawPbClient.frame(START_TLS, new byte[0]),
          RawPbClient.frame(MessageCode.RPB_PING_REQ.code(), new byte[0]));
      assertThat(tls.error()).isEqualTo(PbConnection.ALREADY_TLS);
      assertThat(tls.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
      assertThat(tls.serverInfo()).isEqualTo("tls=true cert=none");
    }
  }

  @Test
  void withoutTlsMaterialStartTlsIsRefusedAsRiakDoesAndTheConnectionStaysUsable() throws Exception {
    int port = startServer(null);
    try (PbWire plain = PbWire.plain(port)) {
      plain.send(
          RawPbClient.frame(MessageCode.RPB_PING_REQ.code(), new byte[0]),
          RawPbClient.frame(START_TLS, new byte[0]),
          RawPbClient.frame(MessageCode.RPB_PING_REQ.code(), new byte[0]));
      assertThat(plain.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
      assertThat(plain.error()).isEqualTo("Security not enabled; STARTTLS not allowed.");
      assertThat(plain.read().code()).isEqualTo(MessageCode.RPB_PING_RESP.code());
      assertThat(plain.serverInfo()).isEqualTo("tls=false cert=none");
    }
  }

  @Test
  void aClientThatSendsGarbageAfterTheAnswerIsCutOffAndOthersAreServed() throws Exception {
    int port = startServer(certs.material("node"));
    try (PbWire other = PbWire.plain(port);
        PbWire rude = PbWire.plain(port)) {
      rude.send(RawPbClient.frame(START_TLS, new byte[0]));
      assertThat(rude.read().code()).isEqualTo(START_TLS);
      rude.send(
          "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
          ByteBuffer.allocate(4).putInt(1).array());
      assertThat(rude.closedByServer()).isTrue();
      other.ping();
      try (PbWire tls = PbWire.plain(port).startTls(certs.clientWithoutCertificate())) {
        tls.ping();
      }
    }
  }

  @Test
  void aClientCertificateFromAnotherAuthorityFailsTheHandshake() throws Exception {
    int port = startServer(certs.material("node"));
    TlsFixture stranger = TlsFixture.create(dir, "other-ca");
    TlsMaterial mallory = stranger.material("mallory");
    // A JDK client offers only certificates the server names as acceptable; this one insists.
    KeyManager insisting =
        new X509ExtendedKeyManager() {
          final X509KeyManager keys = (X509KeyManager) mallory.keyManagers().getKeyManagers()[0];

          @Override
          public String chooseClientAlias(String[] types, Principal[] issuers, Socket s) {
            return "node";
          }

          @Override
          public String chooseEngineClientAlias(
              String[] types, Principal[] issuers, javax.net.ssl.SSLEngine e) {
            return "node";
          }

          @Override
          public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
          }

          @Override
          public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
          }

          @Override
          public String[] getClientAliases(String type, Principal[] issuers) {
            return new String[] {"node"};
          }

          @Override
          public String[] getServerAliases(String type, Principal[] issuers) {
            return null;
          }

          @Override
          public String chooseServerAlias(String type, Principal[] issuers, Socket s) {
            return null;
          }
        };
    SSLContext strangerContext = SSLContext.getInstance(TlsContexts.PROTOCOL);
    strangerContext.init(
        new KeyManager[] {insisting},
        certs.material("trust-only").trustManagers().getTrustManagers(),
        null);
    try (PbWire plain = PbWire.plain(port)) {
      assertThatThrownBy(
              () -> {
                try (PbWire tls = plain.startTls(strangerContext)) {
                  tls.ping(); // TLS 1.3: the client learns of the refusal on its first read
                }
              })
          .isInstanceOf(IOException.class);
    }
    try (PbWire tls = PbWire.plain(port).startTls(certs.clientWithCertificate("alice"))) {
      assertThat(tls.serverInfo()).isEqualTo("tls=true cert=CN=alice");
    }
  }

  @Test
  void theAsyncClientStartsTlsBeforeItsFirstRequest() throws Exception {
    int port = startServer(certs.material("node"));
    var context =
        SslContextBuilder.forClient()
            .trustManager(certs.caFile().toFile())
            .protocols(TlsContexts.PROTOCOL)
            .build();
    try (PbClient client =
        PbClient.connect(
            List.of(new InetSocketAddress("127.0.0.1", port)),
            PbClientSettings.defaults().withEventLoopThreads(1).withStartTls(context))) {
      client.ping(0).get(10, TimeUnit.SECONDS);
      RpbGetServerInfoResp info =
          client
              .call(
                  0,
                  MessageCode.RPB_GET_SERVER_INFO_REQ,
                  null,
                  MessageCode.RPB_GET_SERVER_INFO_RESP,
                  RpbGetServerInfoResp.parser())
              .get(10, TimeUnit.SECONDS);
      assertThat(info.getNode().toStringUtf8()).isEqualTo("tls=true cert=none");
    }
  }

  @Test
  void theAsyncClientFailsToConnectWhereStartTlsIsRefused() throws Exception {
    int port = startServer(null);
    var context =
        SslContextBuilder.forClient()
            .trustManager(certs.caFile().toFile())
            .protocols(TlsContexts.PROTOCOL)
            .build();
    assertThatThrownBy(
            () ->
                PbClient.connect(
                    List.of(new InetSocketAddress("127.0.0.1", port)),
                    PbClientSettings.defaults().withEventLoopThreads(1).withStartTls(context)))
        .isInstanceOf(PbConnectionException.class)
        .hasMessageContaining("STARTTLS not allowed");
  }

  @Test
  void putAndGetInsideTlsOnARealNode() throws Exception {
    try (OneNodeStore store = OneNodeStore.startWithTls(dir.resolve("store"), node())) {
      var context = TlsContexts.nettyClient(certs.material("bench"), true);
      try (PbClient client =
          PbClient.connect(
              List.of(new InetSocketAddress("127.0.0.1", store.server().port())),
              PbClientSettings.defaults().withEventLoopThreads(1).withStartTls(context))) {
        ByteString bucket = ByteString.copyFromUtf8("b");
        ByteString key = ByteString.copyFromUtf8("k");
        client
            .put(
                0,
                RpbPutReq.newBuilder()
                    .setBucket(bucket)
                    .setKey(key)
                    .setContent(RpbContent.newBuilder().setValue(ByteString.copyFromUtf8("v1")))
                    .build())
            .get(10, TimeUnit.SECONDS);
        RpbGetResp got =
            client
                .get(0, RpbGetReq.newBuilder().setBucket(bucket).setKey(key).build())
                .get(10, TimeUnit.SECONDS);
        assertThat(got.getContent(0).getValue().toStringUtf8()).isEqualTo("v1");
      }
    }
  }

  private TlsMaterial node() {
    return certs.material("node");
  }
}
