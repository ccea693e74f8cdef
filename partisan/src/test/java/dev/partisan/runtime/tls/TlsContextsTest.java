package dev.partisan.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes over loopback between contexts built from development certificates. */
class TlsContextsTest {
  @TempDir Path dir;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private DevCertificates.Authority ca;
  private Channel server;

  @BeforeEach
  void startServer() throws Exception {
    ca = DevCertificates.createAuthority("cluster-ca", Duration.ofDays(1));
    TlsMaterial material = material("server", ca);
    var context = TlsContexts.nettyServer(material, TlsSettings.ClientAuth.REQUIRE);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(context.newHandler(ch.alloc()));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stop() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private TlsMaterial material(String name, DevCertificates.Authority issuer) {
    issuer
        .issue(name, List.of("localhost", "127.0.0.1"), Duration.ofDays(1))
        .write(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
    issuer.write(dir.resolve(name + "-ca.pem"), dir.resolve(name + "-ca-key.pem"));
    return TlsMaterial.load(
        new TlsSettings(
            dir.resolve(name + ".pem"),
            dir.resolve(name + "-key.pem"),
            dir.resolve(name + "-ca.pem")));
  }

  private Future<Channel> handshake(TlsMaterial client) throws InterruptedException {
    var context = TlsContexts.nettyClient(client, true);
    InetSocketAddress address = (InetSocketAddress) server.localAddress();
    // Kept here, not looked up in the pipeline afterwards: a refused handshake can close the
    // channel, and empty its pipeline, before connect() returns to this thread.
    SslHandler[] ssl = new SslHandler[1];
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ssl[0] = context.newHandler(ch.alloc(), "127.0.0.1", address.getPort());
                ch.pipeline().addLast(ssl[0]);
              }
            })
        .connect(address)
        .sync();
    return ssl[0].handshakeFuture().await();
  }

  @Test
  void nodesOfOneAuthorityAuthenticateEachOtherWithTls13() throws Exception {
    Future<Channel> done = handshake(material("client", ca));

    assertThat(done.isSuccess()).as("handshake: %s", done.cause()).isTrue();
    SslHandler ssl = done.getNow().pipeline().get(SslHandler.class);
    assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(ssl.engine().getSession().getPeerPrincipal().getName()).isEqualTo("CN=server");
  }

  @Test
  void aCertificateFromAnotherAuthorityIsRefused() throws Exception {
    DevCertificates.Authority other = DevCertificates.createAuthority("other", Duration.ofDays(1));
    TlsMaterial stranger = material("stranger", other);

    Future<Channel> done = handshake(stranger);

    assertThat(done.isSuccess()).isFalse();
  }

  @Test
  void jdkContextSpeaksToTheNettyServer() throws Exception {
    TlsMaterial client = material("jdk-client", ca);
    InetSocketAddress address = (InetSocketAddress) server.localAddress();

    try (SSLSocket socket =
        (SSLSocket)
            TlsContexts.jdk(client)
                .getSocketFactory()
                .createSocket("127.0.0.1", address.getPort())) {
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(socket.getSession().getLocalPrincipal().getName()).isEqualTo("CN=jdk-client");
    }
  }

  @Test
  void clientCertificatesNeedATrustedAuthority() {
    TlsMaterial material = material("no-ca", ca);
    TlsMaterial withoutCa =
        TlsMaterial.load(
            new TlsSettings(
                material.settings().certificate(), material.settings().privateKey(), null));

    assertThatThrownBy(() -> TlsContexts.nettyServer(withoutCa, TlsSettings.ClientAuth.OPTIONAL))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("trusted CA");
    assertThat(TlsContexts.nettyServer(withoutCa, TlsSettings.ClientAuth.NONE).isServer()).isTrue();
  }

  @Test
  void parsesClientAuthSettings() {
    assertThat(TlsSettings.ClientAuth.parse("require")).isEqualTo(TlsSettings.ClientAuth.REQUIRE);
    assertThat(TlsSettings.ClientAuth.parse(" Optional "))
        .isEqualTo(TlsSettings.ClientAuth.OPTIONAL);
    assertThatThrownBy(() -> TlsSettings.ClientAuth.parse("maybe"))
        .hasMessageContaining("none, optional or require");
  }
}
