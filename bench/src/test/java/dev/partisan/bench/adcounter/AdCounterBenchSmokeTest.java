package dev.partisan.bench.adcounter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.report.ProvenanceAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code bench adcounter --quick} on three overlays end to end (static, because it needs fixed
 * ports; real TCP, RocksDB) and checks what the ad counter must guarantee, never timings: each run
 * disabled every ad or hit its bound, no ad's stored count is below the increments acknowledged for
 * it, a disabled ad reached the threshold, and the result files exist and agree with the runs.
 */
class AdCounterBenchSmokeTest {
  @Test
  @Timeout(240)
  void quickRunDisablesAdsWithoutLosingIncrementsAndWritesResults(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    AdCounterBenchCommand command = new AdCounterBenchCommand();
    int exit =
        new CommandLine(command)
            .execute(
                "--quick",
                "--overlays",
                "full-mesh,client-server,static",
                "--data-dir",
                dir.resolve("data").toString(),
                "--out",
                out.toString());
    assertThat(exit).isZero();

    List<AdRunResult> runs = command.runs();
    assertThat(runs)
        .extracting(AdRunResult::overlay)
        .containsExactly("full-mesh", "client-server", "static");
    long threshold = 20; // --quick's
    for (AdRunResult r : runs) {
      boolean hitBound = r.seconds() >= 20 || r.increments() >= 1_000_000;
      assertThat(r.allDisabled() || hitBound)
          .as(r.overlay() + " finished or hit its bound")
          .isTrue();
      assertThat(r.ads()).hasSize(6);
      assertThat(r.increments())
          .as("every acknowledged increment is counted for one ad")
          .isEqualTo(r.ads().stream().mapToLong(AdRunResult.Ad::acked).sum());
      for (AdRunResult.Ad ad : r.ads()) {
        assertThat(ad.finalCount()).as(r.overlay() + " " + ad).isGreaterThanOrEqualTo(ad.acked());
        if (!Double.isNaN(ad.disabledAtSeconds())) {
          assertThat(ad.finalCount()).as(r.overlay() + " " + ad).isGreaterThanOrEqualTo(threshold);
        }
      }
      if (r.allDisabled()) {
        assertThat(r.increments()).isGreaterThanOrEqualTo(6 * threshold);
      }
    }

    List<String> series = Files.readAllLines(out.resolve("results.csv"));
    assertThat(series.get(0)).isEqualTo(AdCounterReport.SERIES_HEADER);
    assertThat(
            series.subList(1, series.size()).stream()
                .mapToLong(l -> Long.parseLong(l.split(",")[3]))
                .sum())
        .as("the per-second increments add up to the runs' totals, but for the stop's stragglers")
        .isLessThanOrEqualTo(runs.stream().mapToLong(AdRunResult::increments).sum())
        .isPositive();
    List<String> ads = Files.readAllLines(out.resolve("ads.csv"));
    assertThat(ads.get(0)).isEqualTo(AdCounterReport.ADS_HEADER);
    assertThat(ads).hasSize(1 + 3 * 6);
    ProvenanceAssertions.assertRecorded(out, "bench adcounter ");
    assertThat(Files.readString(out.resolve("summary.md")))
        .startsWith("# bench adcounter")
        .contains("| full-mesh | 1 |", "| client-server | 1 |", "| static | 1 |");
    for (String png : List.of("throughput.png", "latency.png", "overcount.png")) {
      assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
    }
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("command=bench adcounter", "threshold=20", "machine.loadavg=");
  }
}
