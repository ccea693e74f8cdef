package dev.partisan.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading PEM material: what loads, and the clear errors for what cannot. */
class TlsMaterialTest {
  @TempDir Path dir;

  private final DevCertificates.Authority ca =
      DevCertificates.createAuthority("test-ca", Duration.ofDays(1));

  private TlsSettings write(String name, DevCertificates.Issued issued) {
    issued.write(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
    ca.write(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"));
    return new TlsSettings(
        dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"), dir.resolve("ca.pem"));
  }

  @Test
  void loadsIssuedCertificateWithItsNamesAndTrust() throws Exception {
    TlsSettings settings =
        write("n1", ca.issue("n1", List.of("localhost", "127.0.0.1"), Duration.ofDays(1)));

    TlsMaterial material = TlsMaterial.load(settings);

    assertThat(material.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=n1");
    assertThat(material.certificate().getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1");
    material.certificate().verify(ca.certificate().getPublicKey());
    assertThat(material.trustManagers().getTrustManagers()).isNotEmpty();
  }

  @Test
  void keyFilesAreOwnerOnlyAndCertificatesReadable() throws Exception {
    write("n1", ca.issue("n1", List.of(), Duration.ofDays(1)));

    assertThat(Files.getPosixFilePermissions(dir.resolve("n1-key.pem")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("n1.pem")))
        .contains(PosixFilePermission.OTHERS_READ);
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() {
    TlsSettings n1 = write("n1", ca.issue("n1", List.of(), Duration.ofDays(1)));
    write("n2", ca.issue("n2", List.of(), Duration.ofDays(1)));
    TlsSettings crossed =
        new TlsSettings(n1.certificate(), dir.resolve("n2-key.pem"), n1.trustedCa());

    assertThatThrownBy(() -> TlsMaterial.load(crossed))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("n2-key.pem")
        .hasMessageContaining("n1.pem");
  }

  @Test
  void missingOrMalformedFilesAreNamed() throws Exception {
    TlsSettings good = write("n1", ca.issue("n1", List.of(), Duration.ofDays(1)));
    Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
    Files.writeString(dir.resolve("rsa1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");

    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    new TlsSettings(dir.resolve("absent.pem"), good.privateKey(), null)))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("absent.pem");
    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("garbage.pem")))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("garbage.pem");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("rsa1.pem")))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("PKCS#8");
  }

  @Test
  void authorityRoundTripsThroughItsFiles() {
    ca.write(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"));
    DevCertificates.Authority read =
        DevCertificates.Authority.read(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"));

    DevCertificates.Issued later = read.issue("n3", List.of("n3.local"), Duration.ofDays(1));

    assertThat(read.certificate()).isEqualTo(ca.certificate());
    assertThat(later.issuer()).isEqualTo(ca.certificate());
  }
}
