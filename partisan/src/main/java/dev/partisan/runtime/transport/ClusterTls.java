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

  /**
   * Plaintext bytes handed to OpenSSL per wrap: it writes several TLS records into one buffer per
   * call, so large messages take fewer calls and fewer buffers than at Netty's default of one
   * record (16 KiB); in {@code bench echo} at 512 KiB this carried about 1.5 times the requests.
   * The JDK's engine writes one record per call whatever it is given, so it keeps the default.
   */
  static final int OPENSSL_WRAP_BYTES = 256 * 1024;

  private final SslContext server;
  private final SslContext client;
  private final boolean openSsl;

  ClusterTls(TransportTls tls) {
    SslProvider provider = tls.provider().resolve();
    this.openSsl = provider != SslProvider.JDK;
    this.server = TlsContexts.nettyServer(tls.material(), tls.clientAuth(), provider);
    this.client = TlsContexts.nettyClient(tls.material(), tls.verifyHostname(), provider);
    log.info(
        "cluster transport: TLS 1.3 on every connection, provider {} (tls.provider = {}),"
            + " client certificates {}, host names {}, node names {}, certificate {}",
        provider,
        tls.provider().name().toLowerCase(java.util.Locale.ROOT),
        tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
        tls.verifyHostname() ? "verified" : "not verified",
        tls.bindNodeNames() ? "bound to certificates" : "not bound",
        tls.material().certificate().getSubjectX500Principal().getName());
  }

  /** The acceptor's end of a connection that turned out to speak TLS. */
  SslHandler acceptorHandler(ByteBufAllocator alloc) {
    return configured(server.newHandler(alloc));
  }

  /** The dialer's end; the host and port name the peer for host-name verification. */
  SslHandler dialerHandler(ByteBufAllocator alloc, String host, int port) {
    return configured(client.newHandler(alloc, host, port));
  }

  private SslHandler configured(SslHandler h) {
    if (openSsl) {
      h.setWrapDataSize(OPENSSL_WRAP_BYTES);
    }
    // The transport's handshake timeout (HandshakeHandler) covers TLS and the secret's handshake
    // together and reports a TIMEOUT, which a probe retries; Netty's own timer would end a slow
    // TLS handshake as a TLS failure, which is final.
    h.setHandshakeTimeoutMillis(0);
    return h;
  }
}
