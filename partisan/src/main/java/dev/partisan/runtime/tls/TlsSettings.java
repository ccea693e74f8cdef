package dev.partisan.runtime.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a listener's TLS material lives, as PEM files.
 *
 * @param certificate this node's certificate chain (leaf first), PEM
 * @param privateKey the leaf's private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 * @param trustedCa the certificate authorities a peer's certificate must chain to, PEM; null trusts
 *     the JDK's default authorities (only sensible for client-facing listeners)
 */
public record TlsSettings(Path certificate, Path privateKey, Path trustedCa) {

  /**
   * What a server asks of its clients, chosen per listener (the cluster transport requires a
   * certificate, client listeners ask for one so Riak's certificate source can work).
   */
  public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A client certificate is requested and verified when sent, but a client may send none. */
    OPTIONAL,
    /** A connection without a trusted client certificate is refused (mutual authentication). */
    REQUIRE;

    /** Parses a setting value: {@code none}, {@code optional} or {@code require}. */
    public static ClientAuth parse(String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "none", "false", "off" -> NONE;
        case "optional", "want" -> OPTIONAL;
        case "require", "required", "true", "on" -> REQUIRE;
        default ->
            throw new IllegalArgumentException(
                "client auth must be none, optional or require, not '" + value + "'");
      };
    }
  }

  public TlsSettings {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }
}
