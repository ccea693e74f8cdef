package dev.partisan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.http.config.NodeConfig;
import dev.partisan.pb.PbSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pb.* settings: defaults, validation naming the key, and the frame limit fitting values. */
class PbSettingsConfigTest {
  @Test
  void defaultsAreRiaksPortOnLoopback() {
    NodeConfig c = NodeConfig.of(Map.of());
    assertThat(c.pbEnabled()).isTrue();
    PbSettings pb = c.pb();
    assertThat(pb.host()).isEqualTo("127.0.0.1");
    assertThat(pb.port()).isEqualTo(8087);
    assertThat(pb.maxFrameBytes()).isEqualTo(64 * 1024 * 1024);
    assertThat(pb.frameTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(pb.authTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pb.authFailureDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theTimeoutsAndTheFailureDelayAreSettings() {
    PbSettings pb =
        NodeConfig.of(
                Map.of(
                    "pb.frame_timeout_ms", "1500",
                    "pb.auth_timeout_ms", "2500",
                    "pb.auth_failure_delay_ms", "0"))
            .pb();
    assertThat(pb.frameTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(pb.authTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(pb.authFailureDelay()).isZero();
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.frame_timeout_ms", "0")).pb())
        .hasMessageContaining("pb.frame_timeout_ms");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.auth_timeout_ms", "-1")).pb())
        .hasMessageContaining("pb.auth_timeout_ms");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.auth_failure_delay_ms", "-5")).pb())
        .hasMessageContaining("pb.auth_failure_delay_ms");
  }

  @Test
  void theEnvironmentAndFlagsSetThem() {
    NodeConfig c =
        NodeConfig.load(
            null,
            Map.of("PARTISAN_PB_PORT", "18087", "PARTISAN_PB_ENABLED", "false"),
            Map.of("pb.host", "0.0.0.0"));
    assertThat(c.pbEnabled()).isFalse();
    assertThat(c.pb().port()).isEqualTo(18087);
    assertThat(c.pb().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void badValuesStopTheNodeNamingTheKey() {
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.port", "70000")))
        .hasMessageContaining("pb.port");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.max_frame_bytes", "10")))
        .hasMessageContaining("pb.max_frame_bytes");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.enabled", "maybe")))
        .hasMessageContaining("pb.enabled");
    assertThatThrownBy(() -> NodeConfig.of(Map.of("pb.prot", "1")))
        .hasMessageContaining("unknown setting 'pb.prot'");
  }

  @Test
  void theFrameLimitGrowsToFitTheLargestValue() {
    NodeConfig c =
        NodeConfig.of(
            Map.of(
                "kv.max_value_bytes",
                Integer.toString(100 * 1024 * 1024),
                "pb.max_frame_bytes",
                "4096"));
    assertThat(c.pb().maxFrameBytes()).isEqualTo(101 * 1024 * 1024);
  }
}
