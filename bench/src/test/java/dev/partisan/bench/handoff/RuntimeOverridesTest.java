package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.OverlaySettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --runtime: runtime settings on top of the bench's, through the runtime's parser. */
class RuntimeOverridesTest {
  @Test
  void anOverlaySettingReachesTheNodeAndKeepsWhatTheBenchSet() {
    RuntimeOverrides r =
        RuntimeOverrides.of(Map.of("overlay.active_view", "2", "overlay.active_view_min", "1"));
    RuntimeConfig hyparview = r.apply(RuntimeConfig.builder("n").overlay("hyparview")).build();
    assertThat(((OverlaySettings.HyParView) hyparview.overlay()).activeViewSize()).isEqualTo(2);
    // The joining node's client role survives settings of the overlays.
    RuntimeConfig client =
        r.apply(RuntimeConfig.builder("n").overlay("client-server").role("client")).build();
    assertThat(((OverlaySettings.ClientServer) client.overlay()).role()).isEqualTo("client");
    assertThat(r.describe()).isEqualTo("overlay.active_view=2, overlay.active_view_min=1");
    assertThat(RuntimeOverrides.none().describe()).isEqualTo("none");
  }

  @Test
  void theSharedBulkGroupHasANodesBulkEventLoopThreads() {
    assertThat(RuntimeOverrides.none().bulkEventLoopThreads()).isEqualTo(1);
    assertThat(RuntimeOverrides.of(Map.of("bulk_event_loop_threads", "2")).bulkEventLoopThreads())
        .isEqualTo(2);
  }

  @Test
  void settingsTheBenchOrTheModeDecideAreRefused() {
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("overlay", "static")))
        .hasMessageContaining("--runtime overlay is set by the bench")
        .hasMessageContaining("--overlay");
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("channel.request.parallelism", "8")))
        .hasMessageContaining("the mode declares the channels");
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("baseline", "true")))
        .hasMessageContaining("the mode decides it");
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("kv.ring_size", "32")))
        .hasMessageContaining("use --kv");
  }

  @Test
  void unknownKeysAndBadValuesAreRefused() {
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("heartbeat_intreval_ms", "100")))
        .hasMessageContaining("unknown setting 'heartbeat_intreval_ms'");
    assertThatThrownBy(() -> RuntimeOverrides.of(Map.of("heartbeat_interval_ms", "soon")))
        .hasMessageContaining("heartbeat_interval_ms");
  }
}
