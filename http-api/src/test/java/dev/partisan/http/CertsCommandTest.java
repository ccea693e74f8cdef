package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.tls.PemFiles;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partisan-kv admin certs create}: the files, that node certificates chain to the CA and
 * name what they should, owner-only keys, reuse of the CA for more nodes, and --force.
 */
class CertsCommandTest {
  @TempDir Path dir;

  private AdminCliTest.Run create(String... args) {
    List<String> all =
        new ArrayList<>(List.of("admin", "certs", "create", "--out", dir.toString()));
    all.addAll(List.of(args));
    return AdminCliTest.cli(all.toArray(String[]::new));
  }

  private X509Certificate cert(String file) {
    return PemFiles.readCertificates(dir.resolve(file)).get(0);
  }

  private static List<String> alternativeNames(X509Certificate c) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> entry : c.getSubjectAlternativeNames()) {
      names.add(entry.get(1).toString());
    }
    return names;
  }

  @Test
  void writesACaAndNodeCertificatesThatChainToIt() throws Exception {
    AdminCliTest.Run run = create("--nodes", "n1,n2", "--hosts", "node1,node2", "--days", "30");
    assertThat(run.exit()).as(run.err()).isZero();

    X509Certificate ca = cert("ca.pem");
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=partisan-kv development CA");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    for (String node : List.of("n1", "n2")) {
      X509Certificate c = cert(node + ".pem");
      c.verify(ca.getPublicKey()); // signed by the CA, or this throws
      assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=" + node);
      assertThat(alternativeNames(c))
          .containsExactlyInAnyOrder(node, "localhost", "127.0.0.1", "node1", "node2");
      assertThat(c.getNotAfter().getTime() - c.getNotBefore().getTime())
          .isLessThan(32L * 24 * 3600 * 1000);
      // The key belongs to the certificate: the node can load the three files.
      TlsMaterial.load(
          new TlsSettings(
              dir.resolve(node + ".pem"), dir.resolve(node + "-key.pem"), dir.resolve("ca.pem")));
    }
    for (String key : List.of("ca-key.pem", "n1-key.pem", "n2-key.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void reusesTheCaForMoreNodesAndKeepsExistingFilesUnlessForced() throws Exception {
    assertThat(create("--nodes", "n1").exit()).isZero();
    byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
    byte[] n1 = Files.readAllBytes(dir.resolve("n1.pem"));

    AdminCliTest.Run more = create("--nodes", "n1,n6");
    assertThat(more.exit()).as(more.err()).isZero();
    assertThat(more.out()).contains("reusing the CA").contains("n1: kept");
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(ca);
    assertThat(Files.readAllBytes(dir.resolve("n1.pem"))).isEqualTo(n1);
    cert("n6.pem").verify(cert("ca.pem").getPublicKey());

    AdminCliTest.Run forced = create("--nodes", "n1", "--force", "--ca-name", "second CA");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isNotEqualTo(ca);
    assertThat(cert("ca.pem").getSubjectX500Principal().getName()).isEqualTo("CN=second CA");
    cert("n1.pem").verify(cert("ca.pem").getPublicKey());
  }

  @Test
  void refusesWhatItCannotDoWithoutWritingAnything() throws Exception {
    AdminCliTest.Run badName = create("--nodes", "../evil");
    assertThat(badName.exit()).isEqualTo(2);
    assertThat(badName.err()).contains("node name '../evil'");
    assertThat(dir).isEmptyDirectory();

    Files.writeString(dir.resolve("ca.pem"), "not used");
    AdminCliTest.Run keyless = create("--nodes", "n1");
    assertThat(keyless.exit()).isEqualTo(2);
    assertThat(keyless.err()).contains("ca-key.pem is missing");
    assertThat(dir.resolve("n1.pem")).doesNotExist();
  }
}
