package dev.partisan.runtime.transport;

import dev.partisan.runtime.tls.TlsContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two TLS contexts for the cluster transport, built once at start: one for connections
 * it accepts, one for those it dials. Each new connection gets its own {@link SslHandler} from
 * them, first in its pipeline (below the frame decoder: every frame, the handshake's included,
 * travels encrypted).
 *
 * <p>Immutable; Netty's contexts are safe to share between event loops.
 */
final class ClusterTls {
  private static final Logger log = LoggerFactory.getLogger(ClusterTls.class);

  private final SslContext server;
  private final SslContext client;

  ClusterTls(TransportTls tls) {
    SslProvider provider = tls.provider().resolve();
    this.server = TlsContexts.nettyServer(tls.material(), tls.clientAuth(), provider);
    this.client = TlsContexts.nettyClient(tls.material(), tls.verifyHostname(), provider);
    log.info(
        "cluster transport: TLS 1.3 on every connection, provider {} (tls.provider = {}),"
            + " client certificates {}, host names {}, certificate {}",
        provider,
        tls.provider().name().toLowerCase(java.util.Locale.ROOT),
        tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
        tls.verifyHostname() ? "verified" : "not verified",
        tls.material().certificate().getSubjectX500Principal().getName());
  }

  /** The acceptor's end of a connection that turned out to speak TLS. */
  SslHandler acceptorHandler(ByteBufAllocator alloc) {
    return withoutOwnTimeout(server.newHandler(alloc));
  }

  /** The dialer's end; the host and port name the peer for host-name verification. */
  SslHandler dialerHandler(ByteBufAllocator alloc, String host, int port) {
    return withoutOwnTimeout(client.newHandler(alloc, host, port));
  }

  private static SslHandler withoutOwnTimeout(SslHandler h) {
    // The transport's handshake timeout (HandshakeHandler) covers TLS and the secret's handshake
    // together and reports a TIMEOUT, which a probe retries; Netty's own timer would end a slow
    // TLS handshake as a TLS failure, which is final.
    h.setHandshakeTimeoutMillis(0);
    return h;
  }
}
