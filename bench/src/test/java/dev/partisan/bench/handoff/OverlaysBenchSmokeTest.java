package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.report.ProvenanceAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench overlays --quick} and checks the shape of what it writes (never timings). */
class OverlaysBenchSmokeTest {
  @Test
  @Timeout(240)
  void quickRunWritesCsvSummaryChartAndConfig(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new OverlaysBenchCommand())
            .execute(
                "--quick", "--out", out.toString(), "--data-dir", dir.resolve("data").toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines.get(0)).isEqualTo(HandoffReport.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> rows = lines.subList(1, lines.size());
    // 3 overlays x 4 configurations x 1 round x 2 phases.
    assertThat(rows).hasSize(24);
    Set<String> seen = new HashSet<>();
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(f).as(row).hasSize(header.size());
      assertThat(f[0]).isIn("full-mesh", "client-server", "hyparview");
      assertThat(f[2]).isIn(ChannelMode.labels());
      assertThat(f[3]).isEqualTo("1");
      assertThat(f[4]).isIn("idle", "handoff");
      for (int i = header.indexOf("get_ops"); i <= header.indexOf("put_max_us"); i++) {
        assertThat(Double.parseDouble(f[i])).as(row).isFinite().isNotNegative();
      }
      if (f[4].equals("handoff")) {
        assertThat(Double.parseDouble(f[header.indexOf("handoff_mib")]))
            .as("MiB handed off in " + row)
            .isPositive();
        assertThat(f[header.indexOf("handoff_complete")]).isEqualTo("true");
      }
      seen.add(f[0] + f[2] + f[4]);
    }
    assertThat(seen).hasSize(24);
    assertThat(Files.readString(out.resolve("summary.md")))
        .startsWith("# bench overlays")
        .contains("| hyparview | channels | handoff |", "| full-mesh | channels-no-classes |")
        .contains("baseline / mode")
        .contains("## Rounds: medians and paired ratios", "full-mesh / overlay, handoff p99")
        .containsPattern(
            "\\| hyparview \\| channels \\| 1 \\| \\d+ \\| \\d+ \\| [0-9.]+ \\| [0-9.]+x");
    assertThat(ImageIO.read(out.resolve("get-p99.png").toFile())).isNotNull();
    assertThat(ImageIO.read(out.resolve("get-p50.png").toFile())).isNotNull();
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("quick=true", "rounds=1", "roundOrder=ABCDEFGHIJKL");
    ProvenanceAssertions.assertRecorded(out, "bench overlays --quick --out ");
  }
}
