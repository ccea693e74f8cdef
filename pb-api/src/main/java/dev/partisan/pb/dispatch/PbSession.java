package dev.partisan.pb.dispatch;

import dev.partisan.kv.security.Principal;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What the server knows about one client connection, for handlers that keep per-connection state
 * (Riak's client id). Handlers run on the connection's event loop, one request at a time, so the
 * fields need no locking; a value set by one request is seen by the next.
 */
public final class PbSession {
  private final SocketAddress remote;
  private byte[] clientId; // owned by the connection's event loop
  private boolean tlsActive; // owned by the connection's event loop
  private X509Certificate clientCertificate; // owned by the connection's event loop
  private Principal principal; // owned by the connection's event loop
  private RequestTiming timing; // owned by the connection's event loop (see RequestTiming)

  public PbSession(SocketAddress remote) {
    this.remote = remote;
  }

  /** The timing of this connection's requests, made on its first timed request. */
  RequestTiming timing(RequestTimer timer) {
    if (timing == null) {
      timing = new RequestTiming(timer);
    }
    return timing;
  }

  public SocketAddress remote() {
    return remote;
  }

  /** The client id a client set (Riak 1's vclock actor; kept only to be read back), or null. */
  public byte[] clientId() {
    return clientId == null ? null : clientId.clone();
  }

  public void clientId(byte[] id) {
    this.clientId = id.clone();
  }

  /** Whether the connection has switched to TLS (RpbStartTls, then a completed handshake). */
  public boolean tlsActive() {
    return tlsActive;
  }

  /**
   * The client's certificate (leaf), when the connection is TLS and the client sent one; verified
   * by the handshake against {@code tls.cacertfile}. For Riak's {@code certificate} security
   * source.
   */
  public Optional<X509Certificate> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** Called by the connection when its TLS handshake completes; {@code certificate} may be null. */
  public void tlsEstablished(X509Certificate certificate) {
    this.tlsActive = true;
    this.clientCertificate = certificate;
  }

  /** Who authenticated on this connection with RpbAuthReq, or null (never, or not yet). */
  public Principal principal() {
    return principal;
  }

  /** Called by the connection when RpbAuthReq succeeds; the principal holds for its lifetime. */
  public void authenticated(Principal who) {
    this.principal = who;
  }
}
