package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(lines.get(0)).isEqualTo(OverlaysBenchCommand.CSV_HEADER);
    int columns = lines.get(0).split(",", -1).length;
    List<String> rows = lines.subList(1, lines.size());
    // 3 overlays x 3 configurations x 2 backgrounds x 2 operations.
    assertThat(rows).hasSize(36);
    Set<String> seen = new HashSet<>();
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(f).as(row).hasSize(columns);
      assertThat(f[0]).isIn("full-mesh", "client-server", "hyparview");
      assertThat(f[1]).isIn(HandoffBenchCommand.MODES);
      assertThat(f[2]).isIn("none", "handoff");
      assertThat(f[3]).isIn("get", "put");
      for (int i = 4; i <= 10; i++) {
        assertThat(Double.parseDouble(f[i])).as(row).isFinite().isNotNegative();
      }
      if (f[2].equals("handoff")) {
        assertThat(Double.parseDouble(f[11])).as("MiB handed off in " + row).isPositive();
        assertThat(f[13]).isEqualTo("true");
      }
      seen.add(f[0] + f[1] + f[2] + f[3]);
    }
    assertThat(seen).hasSize(36);
    assertThat(Files.readString(out.resolve("summary.md")))
        .startsWith("# bench overlays")
        .contains("| hyparview | channels | handoff |", "baseline / configuration");
    assertThat(ImageIO.read(out.resolve("get-p99.png").toFile())).isNotNull();
    assertThat(ImageIO.read(out.resolve("get-p50.png").toFile())).isNotNull();
    assertThat(Files.readString(out.resolve("config.properties"))).contains("quick=true");
  }
}
