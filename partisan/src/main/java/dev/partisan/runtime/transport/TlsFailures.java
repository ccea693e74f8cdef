package dev.partisan.runtime.transport;

import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns what TLS throws into the reason an operator needs: whose certificate was not trusted, which
 * side wanted TLS. Only names and alert texts are quoted, never key material.
 */
final class TlsFailures {
  private TlsFailures() {}

  /** Whether {@code cause} comes from TLS (then the handshake fails as a TLS failure). */
  static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof NotSslRecordException) {
        return true;
      }
    }
    return false;
  }

  /** A one-line explanation of a TLS failure on a connection this node dialled or accepted. */
  static String describe(Throwable cause, boolean dialer) {
    String peer = dialer ? "the node we dialled" : "the dialing peer";
    String all = messages(cause);
    String lower = all.toLowerCase(Locale.ROOT);
    if (has(cause, NotSslRecordException.class)) {
      return peer + " does not speak TLS (is tls.cluster off there?)";
    }
    if (has(cause, ClosedChannelException.class)
        || (lower.contains("closed") && lower.contains("handshake"))) {
      return peer
          + " closed the connection during the TLS handshake"
          + " (does it run the cluster transport without TLS, tls.cluster = false?)";
    }
    if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
      return "the certificate of "
          + peer
          + " does not name the address dialled (tls.cluster_verify_hostname): "
          + all;
    }
    if (has(cause, CertificateException.class)
        || lower.contains("pkix")
        || lower.contains("certification path")) {
      return "the certificate of "
          + peer
          + " is not signed by a CA this node trusts (tls.cacertfile): "
          + all;
    }
    if (lower.contains("empty client certificate") || lower.contains("certificate_required")) {
      return dialer
          ? "the node we dialled requires a client certificate and we presented none"
          : "the dialing peer presented no certificate and this node requires one"
              + " (tls.cluster_client_auth = require)";
    }
    if (lower.contains("alert")) {
      return peer + " refused our certificate or TLS parameters: " + all;
    }
    return "TLS failed: " + all;
  }

  private static boolean has(Throwable cause, Class<? extends Throwable> type) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The distinct messages along the cause chain, outermost first. */
  private static String messages(Throwable cause) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (out.indexOf(m) < 0) {
        out.append(out.length() == 0 ? "" : ": ").append(m);
      }
    }
    return out.toString();
  }
}
