package dev.partisan.runtime.testing;

import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A development CA in a test folder and the PEM files it issues, for tests of TLS listeners: node
 * certificates name {@code localhost} and {@code 127.0.0.1}, so clients that check host names
 * accept them on loopback.
 */
public final class TlsFixture {
  private final Path dir;
  private final DevCertificates.Authority ca;
  private final Path caFile;

  private TlsFixture(Path dir, DevCertificates.Authority ca, Path caFile) {
    this.dir = dir;
    this.ca = ca;
    this.caFile = caFile;
  }

  /** A new CA named {@code caName}, its certificate written to {@code dir/caName.pem}. */
  public static TlsFixture create(Path dir, String caName) {
    DevCertificates.Authority ca = DevCertificates.createAuthority(caName, Duration.ofDays(1));
    Path caFile = dir.resolve(caName + ".pem");
    ca.write(caFile, dir.resolve(caName + "-key.pem"));
    return new TlsFixture(dir, ca, caFile);
  }

  public Path caFile() {
    return caFile;
  }

  /** Issues and writes {@code name.pem} and {@code name-key.pem}; the settings trust this CA. */
  public TlsSettings issue(String name) {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + "-key.pem");
    ca.issue(name, List.of(name, "localhost", "127.0.0.1"), Duration.ofDays(1)).write(cert, key);
    return new TlsSettings(cert, key, caFile);
  }

  public TlsMaterial material(String name) {
    return TlsMaterial.load(issue(name));
  }

  /** A JDK client context trusting this CA and presenting {@code name}'s certificate. */
  public SSLContext clientWithCertificate(String name) {
    return TlsContexts.jdk(material(name));
  }

  /** A JDK client context trusting this CA and presenting no certificate. */
  public SSLContext clientWithoutCertificate() {
    return TlsContexts.jdkTrusting(caFile);
  }
}
