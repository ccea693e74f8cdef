package dev.partisan.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.TrafficClass;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The store's channels and their traffic classes. */
class KvChannelsTest {
  private static final KvConfig CONFIG = KvConfig.builder().dataDir(Path.of("unused")).build();

  @Test
  void handoffAndAntiEntropyAreBulkAndRequestsAreLatency() {
    RuntimeConfig c = KvChannels.declare(RuntimeConfig.builder("n1"), CONFIG);
    assertThat(c.channels().get(KvChannels.HANDOFF).trafficClass()).isEqualTo(TrafficClass.BULK);
    assertThat(c.channels().get(KvChannels.ANTI_ENTROPY).trafficClass())
        .isEqualTo(TrafficClass.BULK);
    assertThat(c.channels().get(KvChannels.REQUEST).trafficClass()).isEqualTo(TrafficClass.LATENCY);
  }

  @Test
  void aChannelTheCallerDeclaredKeepsItsClass() {
    RuntimeConfig c =
        KvChannels.declare(
            RuntimeConfig.builder("n1").channel(ChannelSpec.named(KvChannels.HANDOFF)), CONFIG);
    assertThat(c.channels().get(KvChannels.HANDOFF).trafficClass()).isEqualTo(TrafficClass.LATENCY);
  }
}
