package dev.partisan.runtime.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Contexts built from {@link TlsMaterial}, all restricted to TLS 1.3: older versions bring weaker
 * key exchange and renegotiation, and the nodes, the admin CLI, browsers and curl speak 1.3. The
 * one exception is outside this class: the PB listener also accepts TLS 1.2 with forward-secret
 * AEAD suites, because Riak's Java client 2.1.1 enables nothing newer ({@code PbApi}).
 */
public final class TlsContexts {
  /** The only protocol offered or accepted. */
  public static final String PROTOCOL = "TLSv1.3";

  private TlsContexts() {}

  /**
   * A Netty server context: presents the node's chain and asks clients for a certificate as {@code
   * clientAuth} says, verifying it against the trusted CA.
   *
   * @throws TlsConfigException if client certificates are wanted but no CA file is configured
   */
  public static SslContext nettyServer(TlsMaterial material, TlsSettings.ClientAuth clientAuth) {
    return nettyServer(material, clientAuth, null);
  }

  /**
   * {@link #nettyServer(TlsMaterial, TlsSettings.ClientAuth)} on a given provider ({@code null}:
   * Netty's default, OpenSSL where available).
   */
  public static SslContext nettyServer(
      TlsMaterial material, TlsSettings.ClientAuth clientAuth, SslProvider provider) {
    requireCaFor(material, clientAuth);
    try {
      return SslContextBuilder.forServer(material.keyManagers())
          .sslProvider(provider)
          .trustManager(material.trustManagers())
          .clientAuth(nettyClientAuth(clientAuth))
          .protocols(PROTOCOL)
          .build();
    } catch (SSLException e) {
      throw new TlsConfigException("cannot build a TLS server context", e);
    }
  }

  /**
   * A Netty client context: verifies the server's chain against the trusted CA and presents the
   * node's own certificate when the server asks (mutual authentication).
   *
   * @param verifyHostname also check the server certificate's names against the host dialled
   */
  public static SslContext nettyClient(TlsMaterial material, boolean verifyHostname) {
    return nettyClient(material, verifyHostname, null);
  }

  /**
   * {@link #nettyClient(TlsMaterial, boolean)} on a given provider ({@code null}: Netty's default,
   * OpenSSL where available).
   */
  public static SslContext nettyClient(
      TlsMaterial material, boolean verifyHostname, SslProvider provider) {
    try {
      return SslContextBuilder.forClient()
          .sslProvider(provider)
          .keyManager(material.keyManagers())
          .trustManager(material.trustManagers())
          .protocols(PROTOCOL)
          .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null)
          .build();
    } catch (SSLException e) {
      throw new TlsConfigException("cannot build a TLS client context", e);
    }
  }

  /** A JDK context (for Jetty and JDK clients) holding the same keys and trust. */
  public static SSLContext jdk(TlsMaterial material) {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(
          material.keyManagers().getKeyManagers(),
          material.trustManagers().getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException("cannot build a JDK TLS context", e);
    }
  }

  /**
   * A JDK client context that trusts the authorities in {@code caFile} (null: the JDK's) and
   * presents no certificate: for clients without material of their own (the admin CLI, tests).
   */
  public static SSLContext jdkTrusting(java.nio.file.Path caFile) {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(null, TlsMaterial.trustManagers(caFile).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException("cannot build a JDK TLS context", e);
    }
  }

  /** Client certificates can only be verified against a configured authority. */
  public static void requireCaFor(TlsMaterial material, TlsSettings.ClientAuth clientAuth) {
    if (clientAuth != TlsSettings.ClientAuth.NONE && material.settings().trustedCa() == null) {
      throw new TlsConfigException(
          "client certificates ("
              + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
              + ") need a trusted CA file: a client certificate must chain to it");
    }
  }

  private static ClientAuth nettyClientAuth(TlsSettings.ClientAuth auth) {
    return switch (auth) {
      case NONE -> ClientAuth.NONE;
      case OPTIONAL -> ClientAuth.OPTIONAL;
      case REQUIRE -> ClientAuth.REQUIRE;
    };
  }
}
