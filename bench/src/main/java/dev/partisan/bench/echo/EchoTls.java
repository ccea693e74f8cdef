package dev.partisan.bench.echo;

import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings;
import dev.partisan.runtime.transport.TransportTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * TLS between the echo nodes ({@code bench echo --tls}): a development CA issues each node a
 * certificate, as {@code admin certs create} would, and both nodes run the cluster transport with
 * mutual authentication. The PEM files live in a temporary folder only while they are loaded.
 *
 * @param perNode each node's transport TLS, by node name
 */
record EchoTls(Map<String, TransportTls> perNode, TlsProvider provider) {

  static EchoTls create(TlsProvider provider) {
    Path dir;
    try {
      dir = Files.createTempDirectory("echo-tls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      DevCertificates.Authority ca = DevCertificates.createAuthority("echo-ca", Duration.ofDays(1));
      return new EchoTls(
          Map.of(
              EchoNodes.A, load(ca, dir, EchoNodes.A, provider),
              EchoNodes.B, load(ca, dir, EchoNodes.B, provider)),
          provider);
    } finally {
      delete(dir);
    }
  }

  private static TransportTls load(
      DevCertificates.Authority ca, Path dir, String node, TlsProvider provider) {
    TlsSettings files = ca.writeNodeFiles(dir, node, List.of("127.0.0.1"), Duration.ofDays(1));
    return new TransportTls(
        TlsMaterial.load(files), TlsSettings.ClientAuth.REQUIRE, false, provider, false);
  }

  TransportTls of(String node) {
    return perNode.get(node);
  }

  /** The provider Netty really uses here (auto resolved). */
  String describe() {
    return "TLS 1.3, mutual authentication, provider " + provider.resolve();
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
