package dev.partisan.http.api;

import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a route knows about the TLS under a request: whether it came over HTTPS, and the client's
 * certificate when it sent one. For authentication (Riak's {@code certificate} source, and the rule
 * that security needs TLS).
 */
public final class RequestTls {
  /** The servlet attribute where Jetty puts the client's chain, leaf first. */
  static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  private RequestTls() {}

  /** Whether the request arrived on the HTTPS listener. */
  public static boolean secure(Context ctx) {
    return ctx.req().isSecure();
  }

  /**
   * The client's certificate (the chain's leaf), present only over HTTPS and only when the client
   * sent one. It has been verified by the handshake: it chains to {@code tls.cacertfile} (a
   * certificate that does not fails the handshake, so no request arrives with it).
   */
  public static Optional<X509Certificate> clientCertificate(Context ctx) {
    if (!secure(ctx)) {
      return Optional.empty();
    }
    return ctx.req().getAttribute(CERTIFICATES) instanceof X509Certificate[] chain
            && chain.length > 0
        ? Optional.of(chain[0])
        : Optional.empty();
  }
}
