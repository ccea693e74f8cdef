package dev.partisan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.overlay.Overlays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
  @Test
  void environmentVariablesChooseOverlayAndChannels() {
    Map<String, String> env =
        Map.of(
            "PARTISAN_OVERLAY", "hyparview",
            "PARTISAN_OVERLAY_ACTIVE_VIEW", "5",
            "PARTISAN_BASELINE", "true",
            "PARTISAN_CHANNEL_ANTI_ENTROPY_PARALLELISM", "2",
            "PARTISAN_CHANNEL_REQUEST_MAX_QUEUED_BYTES", "1048576",
            "PARTISAN_CLUSTER_NAME", "prod",
            "HOME", "/root");
    RuntimeConfig c =
        RuntimeSettings.apply(RuntimeConfig.builder("n1"), RuntimeSettings.fromEnvironment(env))
            .build();
    assertThat(c.overlay().kind()).isEqualTo("hyparview");
    assertThat(((OverlaySettings.HyParView) c.overlay()).activeViewSize()).isEqualTo(5);
    assertThat(c.transport().baseline()).isTrue();
    assertThat(c.clusterName()).isEqualTo("prod");
    assertThat(c.channels().get("anti-entropy").parallelism()).isEqualTo(2);
    assertThat(c.channels().get("request").maxQueuedBytes()).isEqualTo(1048576);
  }

  @Test
  void theSecretHasNoSharedDefault() {
    byte[] first = RuntimeConfig.builder("n1").build().clusterSecret();
    byte[] second = RuntimeConfig.builder("n1").build().clusterSecret();
    assertThat(first).hasSize(43).isNotEqualTo(second);
    assertThat(RuntimeConfig.newClusterSecret())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(RuntimeConfig.newClusterSecret());
    RuntimeConfig given =
        RuntimeSettings.apply(RuntimeConfig.builder("n1"), Map.of("cluster.secret", "s3cret"))
            .build();
    assertThat(new String(given.clusterSecret(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
  }

  @Test
  void unknownKeysAndBadValuesAreClearErrors() {
    assertThatThrownBy(
            () -> RuntimeSettings.apply(RuntimeConfig.builder("n1"), Map.of("overlai", "x")))
        .hasMessageContaining("unknown setting 'overlai'");
    assertThatThrownBy(
            () -> RuntimeSettings.apply(RuntimeConfig.builder("n1"), Map.of("overlay", "ring")))
        .hasMessageContaining("unknown overlay 'ring'");
    assertThatThrownBy(
            () -> RuntimeSettings.apply(RuntimeConfig.builder("n1"), Map.of("port", "x")))
        .hasMessageContaining("needs a number");
  }

  @Test
  void trafficClassAndBulkLoopsAreSettings() {
    Map<String, String> env =
        Map.of(
            "PARTISAN_CHANNEL_HANDOFF_CLASS", "bulk",
            "PARTISAN_CHANNEL_ANTI_ENTROPY_CLASS", "BULK",
            "PARTISAN_CHANNEL_REQUEST_CLASS", "latency",
            "PARTISAN_BULK_EVENT_LOOP_THREADS", "3");
    RuntimeConfig c =
        RuntimeSettings.apply(RuntimeConfig.builder("n1"), RuntimeSettings.fromEnvironment(env))
            .build();
    assertThat(c.channels().get("handoff").trafficClass()).isEqualTo(TrafficClass.BULK);
    assertThat(c.channels().get("anti-entropy").isBulk()).isTrue();
    assertThat(c.channels().get("request").trafficClass()).isEqualTo(TrafficClass.LATENCY);
    assertThat(c.channels().get("default").trafficClass()).isEqualTo(TrafficClass.LATENCY);
    assertThat(c.channels().get("membership").trafficClass()).isEqualTo(TrafficClass.LATENCY);
    assertThat(c.executors().bulkEventLoopThreads()).isEqualTo(3);
    assertThat(RuntimeConfig.builder("n1").build().executors().bulkEventLoopThreads()).isOne();
  }

  @Test
  void transportIsASettingAndAnUnknownOneIsAnError() {
    RuntimeConfig c = fromEnvironment("PARTISAN_TRANSPORT", "io_uring");
    assertThat(c.executors().transport()).isEqualTo("io_uring");
    assertThat(RuntimeConfig.builder("n1").build().executors().transport()).isEqualTo("auto");
    assertThatThrownBy(
            () -> RuntimeSettings.apply(RuntimeConfig.builder("n1"), Map.of("transport", "dpdk")))
        .hasMessageContaining("unknown transport 'dpdk'");
  }

  private static RuntimeConfig fromEnvironment(String variable, String value) {
    return RuntimeSettings.apply(
            RuntimeConfig.builder("n1"), RuntimeSettings.fromEnvironment(Map.of(variable, value)))
        .build();
  }

  @Test
  void eventLoopSpinIsASettingAndANegativeOneIsAnError() {
    RuntimeConfig c = fromEnvironment("PARTISAN_EVENT_LOOP_SPIN_US", "50");
    assertThat(c.executors().eventLoopSpinMicros()).isEqualTo(50);
    assertThat(RuntimeConfig.builder("n1").build().executors().eventLoopSpinMicros()).isZero();
    assertThatThrownBy(
            () ->
                RuntimeSettings.apply(
                    RuntimeConfig.builder("n1"), Map.of("event_loop_spin_us", "-1")))
        .hasMessageContaining("event loop spin must be >= 0 us");
  }

  @Test
  void badTrafficClassOrBulkLoopCountIsAClearError() {
    assertThatThrownBy(
            () ->
                RuntimeSettings.apply(
                    RuntimeConfig.builder("n1"), Map.of("channel.handoff.class", "fast")))
        .hasMessageContaining("channel.handoff.class")
        .hasMessageContaining("latency or bulk, got 'fast'");
    assertThatThrownBy(
            () ->
                RuntimeSettings.apply(
                    RuntimeConfig.builder("n1"), Map.of("bulk_event_loop_threads", "0")))
        .hasMessageContaining("'bulk_event_loop_threads' must be at least 1, got '0'");
    assertThatThrownBy(
            () ->
                RuntimeSettings.apply(
                    RuntimeConfig.builder("n1"), Map.of("bulk_event_loop_threads", "two")))
        .hasMessageContaining("'bulk_event_loop_threads' needs a number");
    assertThatThrownBy(() -> RuntimeConfig.builder("n1").bulkEventLoopThreads(0).build())
        .hasMessageContaining("bulkEventLoopThreads");
  }

  @Test
  void everyOverlayKeyIsAcceptedWhicheverOverlayRuns() {
    Map<String, String> all = new HashMap<>();
    for (var k : Overlays.keys()) {
      all.put(k.key(), k.defaultValue());
    }
    all.put("overlay.role", "client");
    all.put("overlay.static_peers", "h:1,h:2");
    for (String kind : Overlays.kinds()) {
      Map<String, String> settings = new HashMap<>(all);
      settings.put("overlay", kind);
      RuntimeConfig c = RuntimeSettings.apply(RuntimeConfig.builder("n1"), settings).build();
      assertThat(c.overlay().kind()).isEqualTo(kind);
    }
    assertThatThrownBy(
            () ->
                RuntimeSettings.apply(
                    RuntimeConfig.builder("n1"),
                    Map.of("overlay", "full-mesh", "overlay.active_view_min", "99")))
        .hasMessageContaining("activeViewMin");
  }

  @Test
  void roleAndPeersSurviveAChangeOfOverlay() {
    RuntimeConfig c = RuntimeConfig.builder("n1").role("client").overlay("client-server").build();
    assertThat(((OverlaySettings.ClientServer) c.overlay()).role()).isEqualTo("client");
    c = RuntimeConfig.builder("n1").staticPeers(List.of("h:1")).overlay("static").build();
    assertThat(((OverlaySettings.Static) c.overlay()).staticPeers()).containsExactly("h:1");
    assertThatThrownBy(() -> RuntimeConfig.builder("n1").role("boss")).hasMessageContaining("role");
  }
}
