package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.TrafficClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The modes by name, and the channels each gives the nodes. */
class ChannelModeTest {
  private static final KvConfig STORE = StoreSettings.defaults().kvConfig(Path.of("x"), 16, 1);

  @Test
  void everyModeParsesFromItsLabel() {
    for (ChannelMode m : ChannelMode.values()) {
      assertThat(ChannelMode.parse(m.label())).isSameAs(m);
    }
    assertThat(ChannelMode.labels())
        .containsExactly(
            "baseline", "channels-no-classes", "channels", "channels-parallel-affinity");
  }

  @Test
  void anUnknownModeNamesTheChoices() {
    assertThatThrownBy(() -> ChannelMode.parse("chanels"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown mode 'chanels'")
        .hasMessageContaining(
            "baseline, channels-no-classes, channels, channels-parallel-affinity");
  }

  @Test
  void anUnknownModeOnTheCommandLineIsAUsageErrorBeforeAnythingRuns(@TempDir Path dir) {
    for (CommandLine cli :
        new CommandLine[] {
          new CommandLine(new HandoffBenchCommand()), new CommandLine(new OverlaysBenchCommand())
        }) {
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err));
      String option = cli.getCommandName().equals("handoff") ? "--modes" : "--configs";
      int exit = cli.execute(option, "channels,bogus", "--out", dir.resolve("out").toString());
      assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(err.toString()).contains("unknown mode 'bogus'", "channels-no-classes");
      assertThat(dir.resolve("out")).doesNotExist();
    }
  }

  /** The channels a node of {@code mode} ends up with, as the store completes them. */
  private static Map<String, ChannelSpec> channels(ChannelMode mode) {
    RuntimeConfig.Builder b = mode.configure(RuntimeConfig.builder("n"), STORE);
    return KvChannels.declare(b, STORE).channels();
  }

  @Test
  void channelsWithoutClassesAreTheStoresChannelsAllInTheLatencyClass() {
    Map<String, ChannelSpec> classed = channels(ChannelMode.CHANNELS);
    Map<String, ChannelSpec> flat = channels(ChannelMode.CHANNELS_NO_CLASSES);
    assertThat(classed.get(KvChannels.HANDOFF).isBulk()).isTrue();
    assertThat(classed.get(KvChannels.ANTI_ENTROPY).isBulk()).isTrue();
    assertThat(flat.keySet()).isEqualTo(classed.keySet());
    for (ChannelSpec c : flat.values()) {
      assertThat(c.trafficClass()).as(c.name()).isEqualTo(TrafficClass.LATENCY);
      assertThat(c).isEqualTo(classed.get(c.name()).withTrafficClass(TrafficClass.LATENCY));
    }
  }

  @Test
  void onlyBaselineIsBaselineAndOnlyTheClassedModesUseBulkLoops() {
    for (ChannelMode m : ChannelMode.values()) {
      RuntimeConfig c = KvChannels.declare(m.configure(RuntimeConfig.builder("n"), STORE), STORE);
      assertThat(c.transport().baseline()).as(m.label()).isEqualTo(m == ChannelMode.BASELINE);
      boolean bulkChannels = c.channels().values().stream().anyMatch(ChannelSpec::isBulk);
      assertThat(bulkChannels && !c.transport().baseline())
          .as(m.label())
          .isEqualTo(m.trafficClasses());
    }
    assertThat(ChannelMode.CHANNELS_PARALLEL_AFFINITY.requestParallelism(4)).isEqualTo(4);
    assertThat(ChannelMode.CHANNELS.requestParallelism(4)).isEqualTo(1);
  }

  @Test
  void abbaRoundsReverseTheOrderEveryOtherRound() {
    var modes = java.util.List.of(ChannelMode.BASELINE, ChannelMode.CHANNELS);
    assertThat(RoundsOptions.order(modes, 1))
        .containsExactly(ChannelMode.BASELINE, ChannelMode.CHANNELS);
    assertThat(RoundsOptions.order(modes, 2))
        .containsExactly(ChannelMode.CHANNELS, ChannelMode.BASELINE);
    assertThat(RoundsOptions.order(modes, 3)).isEqualTo(modes);
  }
}
