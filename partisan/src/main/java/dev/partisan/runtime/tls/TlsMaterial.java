package dev.partisan.runtime.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A listener's loaded TLS material: its own certificate chain and key, and whom it trusts. Loaded
 * once at start-up from {@link TlsSettings}; immutable afterwards, so any thread may build contexts
 * from it.
 */
public final class TlsMaterial {
  private static final char[] NO_PASSWORD = new char[0];

  private final TlsSettings settings;
  private final List<X509Certificate> chain;
  private final KeyManagerFactory keyManagers;
  private final TrustManagerFactory trustManagers;

  private TlsMaterial(
      TlsSettings settings,
      List<X509Certificate> chain,
      KeyManagerFactory keyManagers,
      TrustManagerFactory trustManagers) {
    this.settings = settings;
    this.chain = chain;
    this.keyManagers = keyManagers;
    this.trustManagers = trustManagers;
  }

  /**
   * Loads and checks the files: the chain parses, the key parses and belongs to the leaf
   * certificate, the CA file (if any) holds at least one certificate.
   *
   * @throws TlsConfigException naming the file and the problem
   */
  public static TlsMaterial load(TlsSettings settings) {
    List<X509Certificate> chain = PemFiles.readCertificates(settings.certificate());
    PrivateKey key = PemFiles.readPrivateKey(settings.privateKey());
    checkKeyMatches(settings, chain.get(0), key);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);

      return new TlsMaterial(settings, chain, kmf, trustManagers(settings.trustedCa()));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsConfigException("cannot build key stores from " + settings.certificate(), e);
    }
  }

  /** Trust in the authorities of a PEM file; null: the JDK's default authorities. */
  static TrustManagerFactory trustManagers(java.nio.file.Path caFile) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile == null) {
        tmf.init((KeyStore) null);
        return tmf;
      }
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (X509Certificate ca : PemFiles.readCertificates(caFile)) {
        trusted.setCertificateEntry("ca-" + i++, ca);
      }
      tmf.init(trusted);
      return tmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsConfigException("cannot build a trust store from " + caFile, e);
    }
  }

  public TlsSettings settings() {
    return settings;
  }

  /** This node's certificate (the chain's leaf). */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  public List<X509Certificate> chain() {
    return chain;
  }

  public KeyManagerFactory keyManagers() {
    return keyManagers;
  }

  public TrustManagerFactory trustManagers() {
    return trustManagers;
  }

  /**
   * Signs with the key and verifies with the certificate: a key from another pair fails here, with
   * the file names, instead of as a handshake failure on the first connection.
   */
  private static void checkKeyMatches(TlsSettings settings, X509Certificate leaf, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign the message itself
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException mismatch) {
      // a key of another algorithm than the certificate's lands here too
    }
    throw new TlsConfigException(
        settings.privateKey()
            + " is not the private key of the certificate in "
            + settings.certificate());
  }
}
