package dev.partisan.runtime.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Binds the node name a peer claims in the handshake to its TLS certificate ({@link
 * TransportTls#bindNodeNames()}): the certificate's common name, or one of its DNS subject
 * alternative names, must be that name. Without it, any holder of a certificate of the cluster CA
 * (and the secret) may claim any node's name. Stateless.
 */
final class PeerIdentity {
  private static final int SAN_DNS = 2;

  private PeerIdentity() {}

  /**
   * Why the connection's peer may not use {@code claimed}, or null if it may (or names are not
   * bound, or the connection has no TLS).
   */
  static String mismatch(TransportTls tls, ChannelPipeline pipeline, String claimed) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (tls == null || !tls.bindNodeNames() || ssl == null) {
      return null;
    }
    X509Certificate cert;
    try {
      cert = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
    } catch (SSLPeerUnverifiedException e) {
      return "the peer claims to be " + claimed + " but presented no certificate";
    }
    Set<String> names = names(cert);
    return names.contains(claimed)
        ? null
        : "the peer claims to be " + claimed + " but its certificate names " + names;
  }

  /** The certificate's common names and DNS subject alternative names. */
  static Set<String> names(X509Certificate cert) {
    Set<String> names = new TreeSet<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(rdn.getValue().toString());
        }
      }
      if (cert.getSubjectAlternativeNames() != null) {
        for (List<?> san : cert.getSubjectAlternativeNames()) {
          if (san.get(0) instanceof Integer type && type == SAN_DNS) {
            names.add(san.get(1).toString());
          }
        }
      }
    } catch (InvalidNameException | CertificateParsingException e) {
      // An unreadable name binds nothing: the caller refuses the peer.
    }
    return names;
  }
}
