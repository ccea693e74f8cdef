package dev.partisan.bench.kv;

import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsConfigException;
import dev.partisan.runtime.tls.TlsContexts;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The TLS side of {@code bench kv}: whom the bench's clients trust ({@code caFile}, null: the JDK's
 * authorities) and which provider its PB client uses; for the in-process cluster ({@link
 * #forDevCluster}) also each node's development certificate, as {@code admin certs create} would
 * write it. Immutable.
 *
 * @param certDir where the in-process nodes' files are, or null for running nodes
 */
record KvTls(Path caFile, TlsProvider provider, Path certDir) {
  private static final Duration VALIDITY = Duration.ofDays(1);

  /** The names and addresses every node certificate carries (the dev cluster is on loopback). */
  private static final List<String> HOSTS = List.of("127.0.0.1", "localhost");

  /**
   * A development CA in {@code dir} that issues node1..nodeN (the dev cluster's names) a
   * certificate each, and their trust.
   */
  static KvTls forDevCluster(Path dir, int nodes, TlsProvider provider) {
    DevCertificates.Authority ca = DevCertificates.createAuthority("bench-kv-ca", VALIDITY);
    Path caFile = null;
    for (int i = 1; i <= nodes; i++) {
      caFile = ca.writeNodeFiles(dir, nodeName(i), HOSTS, VALIDITY).trustedCa();
    }
    return new KvTls(caFile, provider, dir);
  }

  /** Running nodes: trust {@code caFile} (null: the JDK's authorities). */
  static KvTls forRunningNodes(Path caFile, TlsProvider provider) {
    return new KvTls(caFile, provider, null);
  }

  private static String nodeName(int i) {
    return "node" + i; // DevCluster.Layout's names
  }

  /**
   * Node i's settings: TLS on the cluster transport with mutual authentication (the default client
   * auth), its certificate files, and an HTTPS listener on a free port when {@code https}.
   */
  Map<String, String> nodeSettings(int i, boolean https) {
    TlsSettings files = nodeFiles(i);
    Map<String, String> s =
        new java.util.TreeMap<>(
            Map.of(
                "tls.cluster", "true",
                "tls.certfile", files.certificate().toString(),
                "tls.keyfile", files.privateKey().toString(),
                "tls.cacertfile", caFile.toString(),
                "tls.provider", provider.name().toLowerCase(java.util.Locale.ROOT)));
    if (https) {
      s.put("http.https_port", "0");
    }
    return s;
  }

  /**
   * The bench's clients' context (PB's RpbStartTls and the HTTPS load client): TLS 1.3, the node's
   * certificate checked against {@code caFile} and the host dialled, no client certificate (the
   * node's PB and HTTPS listeners do not need one).
   */
  SslContext client() {
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(provider.resolve())
              .protocols(TlsContexts.PROTOCOL)
              .endpointIdentificationAlgorithm("HTTPS");
      if (caFile != null) {
        b.trustManager(caFile.toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new TlsConfigException("cannot build the PB client's TLS context from " + caFile, e);
    }
  }

  /** The provider this machine really uses for {@link #provider} (auto resolved). */
  String resolvedProvider() {
    return provider.resolve().name();
  }

  /** Used only to name trust in the run's provenance. */
  String trust() {
    return caFile == null ? "the JDK's authorities" : caFile.toString();
  }

  /** Node i's certificate, key and CA files (what {@link #nodeSettings} names). */
  TlsSettings nodeFiles(int i) {
    return new TlsSettings(
        certDir.resolve(nodeName(i) + ".pem"), certDir.resolve(nodeName(i) + "-key.pem"), caFile);
  }
}
