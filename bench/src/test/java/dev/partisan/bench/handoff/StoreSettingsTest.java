package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.kv.KvConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The nodes' store configuration: the bench's choices, --aae and --kv through the node's parser.
 */
class StoreSettingsTest {
  private static final Path DIR = Path.of("data", "node1");

  @Test
  void withoutOptionsTheConfigurationIsTheOneTheBenchAlwaysUsed() {
    KvConfig expected =
        KvConfig.builder()
            .requestParallelism(4)
            .dataDir(DIR)
            .ringSize(32)
            .defaultTimeout(Duration.ofSeconds(10))
            .ringTickInterval(Duration.ofMillis(500))
            .handoffInterval(Duration.ofSeconds(1))
            .handoffConcurrency(0)
            .aaeEnabled(false)
            .build();
    assertThat(StoreSettings.defaults().kvConfig(DIR, 32, 4)).isEqualTo(expected);
  }

  @Test
  void aaeTurnsAntiEntropyOnWithShortExchangeRoundsAndKvOverridesWin() {
    KvConfig.AntiEntropy a = StoreSettings.of(true, Map.of()).kvConfig(DIR, 16, 1).antiEntropy();
    assertThat(a.enabled()).isTrue();
    assertThat(a.exchangeInterval()).isEqualTo(Duration.ofSeconds(2));

    StoreSettings s =
        StoreSettings.of(
            true,
            Map.of(
                "anti_entropy.exchange_interval_ms", "5000",
                "anti_entropy.concurrency", "4",
                "kv.vnode_bulk_threads", "2"));
    KvConfig c = s.kvConfig(DIR, 16, 1);
    assertThat(c.antiEntropy().exchangeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.antiEntropy().concurrency()).isEqualTo(4);
    assertThat(c.vnodeBulkThreads()).isEqualTo(2);
    assertThat(s.describeOverrides())
        .isEqualTo(
            "anti_entropy.concurrency=4, anti_entropy.exchange_interval_ms=5000,"
                + " kv.vnode_bulk_threads=2");
    assertThat(s.describeAae()).contains("every 5.0 s, 4 at once");
  }

  @Test
  void settingsTheBenchDecidesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("kv.ring_size", "32")))
        .hasMessageContaining("--kv kv.ring_size is set by the bench")
        .hasMessageContaining("--ring-size");
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("anti_entropy.enabled", "true")))
        .hasMessageContaining("--aae");
  }

  @Test
  void unknownKeysOtherSettingsAndBadValuesAreRefused() {
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("kv.ring_sise", "32")))
        .hasMessageContaining("unknown setting 'kv.ring_sise'");
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("overlay", "hyparview")))
        .hasMessageContaining("not a store setting");
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("http.port", "1")))
        .hasMessageContaining("not a store setting");
    assertThatThrownBy(() -> StoreSettings.of(false, Map.of("kv.vnode_bulk_threads", "many")))
        .hasMessageContaining("kv.vnode_bulk_threads");
  }

  @Test
  void aBadKvOptionStopsTheCommandBeforeAnythingIsSeeded(@TempDir Path dir) {
    CommandLine cli = new CommandLine(new HandoffBenchCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "--quick",
            "--kv",
            "handoff.concurrency=4",
            "--out",
            dir.resolve("out").toString(),
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("handoff.concurrency is set by the bench");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
