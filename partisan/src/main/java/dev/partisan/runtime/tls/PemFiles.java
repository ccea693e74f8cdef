package dev.partisan.runtime.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the PEM files TLS settings name: X.509 certificates and unencrypted PKCS#8
 * private keys. JDK only, so a node needs no extra provider to load its material.
 */
public final class PemFiles {
  private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String KEY_END = "-----END PRIVATE KEY-----";
  private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

  private PemFiles() {}

  /** Every certificate in the file, in file order (a chain is leaf first). */
  public static List<X509Certificate> readCertificates(Path file) {
    byte[] bytes = read(file, "certificate");
    try {
      List<X509Certificate> certs = new ArrayList<>();
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new TlsConfigException(file + ": no CERTIFICATE block (PEM expected)");
      }
      return List.copyOf(certs);
    } catch (CertificateException e) {
      throw new TlsConfigException(file + ": not a PEM certificate file (" + e.getMessage() + ")");
    }
  }

  /** The private key in the file: an unencrypted PKCS#8 PEM block of an EC, RSA or EdDSA key. */
  public static PrivateKey readPrivateKey(Path file) {
    String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
    int begin = text.indexOf(KEY_BEGIN);
    int end = text.indexOf(KEY_END);
    if (begin < 0 || end < begin) {
      throw new TlsConfigException(
          file
              + ": no unencrypted PKCS#8 'BEGIN PRIVATE KEY' block"
              + " (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new TlsConfigException(file + ": the PRIVATE KEY block is not valid base64");
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // The PKCS#8 header names the algorithm, but asking each factory is simpler than parsing
        // it.
      }
    }
    throw new TlsConfigException(file + ": the PRIVATE KEY block is not an EC, RSA or EdDSA key");
  }

  /** Writes certificates as PEM, world-readable (certificates are public). */
  public static void writeCertificates(Path file, List<X509Certificate> certs) {
    StringBuilder out = new StringBuilder();
    try {
      for (X509Certificate cert : certs) {
        out.append(block("CERTIFICATE", cert.getEncoded()));
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TlsConfigException("cannot encode certificate for " + file, e);
    }
    write(file, out.toString(), false);
  }

  /** Writes a private key as unencrypted PKCS#8 PEM, readable by the owner only where POSIX. */
  public static void writePrivateKey(Path file, PrivateKey key) {
    write(file, block("PRIVATE KEY", key.getEncoded()), true);
  }

  private static String block(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsConfigException("cannot read " + what + " file " + file + ": " + e, e);
    }
  }

  private static void write(Path file, String text, boolean ownerOnly) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(
            tmp, PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--"));
      }
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new TlsConfigException("cannot write " + file + ": " + e, e);
    }
  }
}
