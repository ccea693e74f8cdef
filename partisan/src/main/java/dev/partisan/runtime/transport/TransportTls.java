package dev.partisan.runtime.transport;

import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings;
import java.util.Objects;

/**
 * TLS on every cluster connection (the group {@code TransportSettings.tls()}; absent: plaintext).
 * Each connection, whichever side dialled it, is TLS 1.3 from its first byte; the handshake on the
 * cluster secret runs inside it.
 *
 * @param material this node's certificate chain and key, and the cluster CA a peer's certificate
 *     must chain to (the dialer always verifies the acceptor's chain)
 * @param clientAuth what the acceptor asks of the dialer: {@code REQUIRE} is mutual authentication
 *     against the cluster CA
 * @param verifyHostname the dialer also checks that the acceptor's certificate names the host it
 *     dialled (a DNS or IP subject alternative name); off by default, as node addresses are often
 *     IPs and the CA already vouches for every node
 * @param provider the TLS implementation
 * @param bindNodeNames a peer's certificate must name the node it claims to be in the handshake
 *     (its common name or a DNS subject alternative name); needs {@code clientAuth} {@code REQUIRE}
 */
public record TransportTls(
    TlsMaterial material,
    TlsSettings.ClientAuth clientAuth,
    boolean verifyHostname,
    TlsProvider provider,
    boolean bindNodeNames) {

  public TransportTls {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(clientAuth, "clientAuth");
    Objects.requireNonNull(provider, "provider");
    TlsContexts.requireCaFor(material, clientAuth);
    if (bindNodeNames && clientAuth != TlsSettings.ClientAuth.REQUIRE) {
      throw new IllegalArgumentException(
          "binding node names to certificates needs client certificates (client auth require)");
    }
  }

  /**
   * The chain verified, no host-name check, the provider chosen automatically, node names not
   * bound.
   */
  public static TransportTls of(TlsMaterial material, TlsSettings.ClientAuth clientAuth) {
    return new TransportTls(material, clientAuth, false, TlsProvider.AUTO, false);
  }
}
