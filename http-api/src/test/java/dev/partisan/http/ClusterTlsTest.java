package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.runtime.tls.DevCertificates;
import dev.partisan.runtime.tls.TlsProvider;
import dev.partisan.runtime.tls.TlsSettings;
import dev.partisan.runtime.transport.TransportTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS between real nodes ({@code tls.cluster}): its settings, and a cluster that runs over it. */
class ClusterTlsTest {
  @TempDir Path dir;

  @Test
  void threeNodesOverTlsFormARingAndServeAWriteFromAnotherNode() throws Exception {
    // Each node's certificate carries its node name, so names can be bound to certificates.
    Map<String, String> bound = Map.of("tls.cluster_verify_node_name", "true");
    try (HttpTestCluster cluster = HttpTestCluster.startWithClusterTls(dir, 3, bound)) {
      for (int i = 1; i <= 3; i++) {
        TransportTls tls = cluster.runtime(i).config().transport().tls();
        assertThat(tls).as("node %d runs TLS between nodes", i).isNotNull();
        assertThat(tls.bindNodeNames()).isTrue();
      }
      var put =
          cluster.put(
              cluster.url(1) + "/buckets/secure/keys/k", "over tls", "Content-Type", "text/plain");
      assertThat(put.statusCode()).isEqualTo(204);
      var get = cluster.get(cluster.url(2) + "/buckets/secure/keys/k");
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("over tls");
    }
  }

  private Map<String, String> withNodeFiles(Map<String, String> more) {
    TlsSettings files =
        DevCertificates.createAuthority("ca", Duration.ofDays(1))
            .writeNodeFiles(dir, "n1", List.of("127.0.0.1"), Duration.ofDays(1));
    Map<String, String> s = new HashMap<>(more);
    s.put("tls.certfile", files.certificate().toString());
    s.put("tls.keyfile", files.privateKey().toString());
    s.put("tls.cacertfile", files.trustedCa().toString());
    return s;
  }

  @Test
  void theSettingsReachTheTransport() {
    NodeConfig off = NodeConfig.of(withNodeFiles(Map.of()));
    assertThat(off.runtimeBuilder().build().transport().tls()).as("default: plaintext").isNull();

    TransportTls tls =
        NodeConfig.of(withNodeFiles(Map.of("tls.cluster", "true")))
            .runtimeBuilder()
            .build()
            .transport()
            .tls();
    assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRE);
    assertThat(tls.verifyHostname()).isFalse();
    assertThat(tls.provider()).isEqualTo(TlsProvider.AUTO);

    TransportTls custom =
        NodeConfig.of(
                withNodeFiles(
                    Map.of(
                        "tls.cluster", "true",
                        "tls.cluster_client_auth", "optional",
                        "tls.cluster_verify_hostname", "true",
                        "tls.provider", "jdk")))
            .runtimeBuilder()
            .build()
            .transport()
            .tls();
    assertThat(custom.clientAuth()).isEqualTo(TlsSettings.ClientAuth.OPTIONAL);
    assertThat(custom.verifyHostname()).isTrue();
    assertThat(custom.provider()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void aNodeWithoutItsFilesRefusesToStartAndSaysWhy() {
    assertThatThrownBy(() -> NodeConfig.of(Map.of("tls.cluster", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tls.cluster' is true but 'tls.certfile' and 'tls.keyfile'");
    Map<String, String> noCa = withNodeFiles(Map.of("tls.cluster", "true"));
    noCa.remove("tls.cacertfile");
    assertThatThrownBy(() -> NodeConfig.of(noCa)).hasMessageContaining("'tls.cacertfile'");
    assertThatThrownBy(
            () -> NodeConfig.of(withNodeFiles(Map.of("tls.cluster_client_auth", "sometimes"))))
        .hasMessageContaining("tls.cluster_client_auth");
    assertThatThrownBy(
            () ->
                NodeConfig.of(
                    withNodeFiles(
                        Map.of(
                            "tls.cluster_verify_node_name", "true",
                            "tls.cluster_client_auth", "optional"))))
        .hasMessageContaining("'tls.cluster_verify_node_name' needs 'tls.cluster_client_auth'");
    assertThatThrownBy(() -> NodeConfig.of(withNodeFiles(Map.of("tls.provider", "gnutls"))))
        .hasMessageContaining("tls.provider");
    Map<String, String> missingKey = withNodeFiles(Map.of("tls.cluster", "true"));
    missingKey.put("tls.keyfile", dir.resolve("absent-key.pem").toString());
    assertThatThrownBy(() -> NodeConfig.of(missingKey).runtimeBuilder())
        .hasMessageContaining("absent-key.pem");
  }
}
