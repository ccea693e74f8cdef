package dev.partisan.http.config;

import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings;
import dev.partisan.runtime.transport.TransportTls;
import java.util.Optional;

/**
 * The node settings of TLS between nodes ({@code tls.cluster}, {@code tls.cluster_client_auth},
 * {@code tls.cluster_verify_hostname}, {@code tls.cluster_verify_node_name}, {@code tls.provider})
 * with the node's TLS files, turned into the runtime's {@link TransportTls}. See docs/security.md,
 * "TLS between nodes". Stateless.
 */
final class ClusterTlsSettings {
  private ClusterTlsSettings() {}

  /** Checks the settings without reading the files: what a node needs is configured. */
  static void check(NodeConfig config) {
    options(config);
  }

  /**
   * The transport's TLS, its material loaded and checked, or empty when {@code tls.cluster} is
   * false.
   *
   * @throws IllegalArgumentException naming the setting that is missing or wrong
   * @throws dev.partisan.runtime.tls.TlsConfigException naming the file that cannot be used
   */
  static Optional<TransportTls> load(NodeConfig config) {
    return options(config)
        .map(
            o ->
                new TransportTls(
                    TlsMaterial.load(o.files()),
                    o.clientAuth(),
                    o.verifyHostname(),
                    o.provider(),
                    o.verifyNodeName()));
  }

  private record Options(
      TlsSettings files,
      TlsSettings.ClientAuth clientAuth,
      boolean verifyHostname,
      TlsProvider provider,
      boolean verifyNodeName) {}

  private static Optional<Options> options(NodeConfig config) {
    TlsSettings.ClientAuth clientAuth;
    TlsProvider provider;
    try {
      clientAuth = TlsSettings.ClientAuth.parse(config.get("tls.cluster_client_auth"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting 'tls.cluster_client_auth': " + e.getMessage());
    }
    try {
      provider = TlsProvider.parse(config.get("tls.provider"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting 'tls.provider': " + e.getMessage());
    }
    boolean verifyHostname = config.bool("tls.cluster_verify_hostname");
    boolean verifyNodeName = config.bool("tls.cluster_verify_node_name");
    if (verifyNodeName && clientAuth != TlsSettings.ClientAuth.REQUIRE) {
      throw new IllegalArgumentException(
          "setting 'tls.cluster_verify_node_name' needs 'tls.cluster_client_auth' = require:"
              + " a dialing node's name can only be checked against the certificate it presents");
    }
    if (!config.bool("tls.cluster")) {
      return Optional.empty();
    }
    TlsSettings files =
        config
            .tlsFiles()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "setting 'tls.cluster' is true but 'tls.certfile' and 'tls.keyfile' are"
                            + " not set: TLS between nodes needs this node's certificate and key"
                            + " (docs/security.md, \"TLS between nodes\")"));
    if (files.trustedCa() == null) {
      throw new IllegalArgumentException(
          "setting 'tls.cluster' is true but 'tls.cacertfile' is not set: nodes trust only the"
              + " cluster's CA, never the JDK's default authorities");
    }
    return Optional.of(new Options(files, clientAuth, verifyHostname, provider, verifyNodeName));
  }
}
