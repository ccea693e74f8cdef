package dev.partisan.runtime.tls;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority and the certificates it issues: what {@code admin certs
 * create} writes and what the tests use. Keys are EC P-256 (fast handshakes, small certificates);
 * every issued certificate is good for both server and client authentication, because a node is
 * both when it dials and accepts cluster connections.
 *
 * <p>Not for production: the authority's key is written unencrypted next to the certificates.
 */
public final class DevCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final String SIGNATURE = "SHA256withECDSA";

  private DevCertificates() {}

  /** A certificate authority: its self-signed certificate and its signing key. */
  public record Authority(X509Certificate certificate, PrivateKey key) {
    /**
     * Issues a certificate for {@code commonName}, valid for server and client authentication, with
     * each of {@code hostNames} as a subject alternative name (IP literals as IP addresses).
     */
    public Issued issue(String commonName, List<String> hostNames, Duration validity) {
      KeyPair pair = newKeyPair();
      try {
        X509v3CertificateBuilder builder =
            builder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                commonName,
                pair.getPublic(),
                validity);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(
                    new KeyPurposeId[] {
                      KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                ext.createSubjectKeyIdentifier(pair.getPublic()))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
        if (!hostNames.isEmpty()) {
          builder.addExtension(
              Extension.subjectAlternativeName, false, alternativeNames(hostNames));
        }
        return new Issued(sign(builder, key), certificate, pair.getPrivate());
      } catch (GeneralSecurityException | CertIOException e) {
        throw new TlsConfigException("cannot issue a certificate for " + commonName, e);
      }
    }

    /** Writes the authority's certificate and (owner-only) key as PEM. */
    public void write(Path certificateFile, Path keyFile) {
      PemFiles.writeCertificates(certificateFile, List.of(certificate));
      PemFiles.writePrivateKey(keyFile, key);
    }

    /**
     * Issues a certificate for {@code name} and writes what a node's TLS settings name into {@code
     * dir}: {@code NAME.pem}, {@code NAME-key.pem} (NAME with characters unsafe in file names
     * replaced) and this authority's certificate as {@code ca.pem}.
     */
    public TlsSettings writeNodeFiles(
        Path dir, String name, List<String> hostNames, Duration validity) {
      String file = name.replaceAll("[^A-Za-z0-9._-]", "_");
      TlsSettings files =
          new TlsSettings(
              dir.resolve(file + ".pem"), dir.resolve(file + "-key.pem"), dir.resolve("ca.pem"));
      issue(name, hostNames, validity).write(files.certificate(), files.privateKey());
      PemFiles.writeCertificates(files.trustedCa(), List.of(certificate));
      return files;
    }

    /** Reads an authority written by {@link #write}, to issue more certificates later. */
    public static Authority read(Path certificateFile, Path keyFile) {
      return new Authority(
          PemFiles.readCertificates(certificateFile).get(0), PemFiles.readPrivateKey(keyFile));
    }
  }

  /** An issued certificate, its issuer and its private key. */
  public record Issued(X509Certificate certificate, X509Certificate issuer, PrivateKey key) {
    /** Writes the certificate and (owner-only) key as PEM. */
    public void write(Path certificateFile, Path keyFile) {
      PemFiles.writeCertificates(certificateFile, List.of(certificate));
      PemFiles.writePrivateKey(keyFile, key);
    }
  }

  /** A new self-signed authority named {@code commonName}. */
  public static Authority createAuthority(String commonName, Duration validity) {
    KeyPair pair = newKeyPair();
    try {
      X500Name subject = name(commonName);
      X509v3CertificateBuilder builder = builder(subject, commonName, pair.getPublic(), validity);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new Authority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new TlsConfigException("cannot create a certificate authority", e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, String commonName, PublicKey subjectKey, Duration validity) {
    Instant now = Instant.now();
    // Back-dated a little: a peer whose clock is slightly behind must not see "not yet valid".
    Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
    Date notAfter = Date.from(now.plus(validity));
    BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(
        issuer, serial, notBefore, notAfter, name(commonName), subjectKey);
  }

  private static X500Name name(String commonName) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("a certificate needs a common name");
    }
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static GeneralNames alternativeNames(List<String> hostNames) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hostNames) {
      boolean ip = IPV4.matcher(host).matches() || host.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 key generation unavailable", e);
    }
  }
}
