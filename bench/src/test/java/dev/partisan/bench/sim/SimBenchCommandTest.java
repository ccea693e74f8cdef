package dev.partisan.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench sim} at a tiny size: one row per run, a skipped full mesh, the summary. */
class SimBenchCommandTest {
  @Test
  @Timeout(60)
  void writesARowPerRunAndSkipsAFullMeshAboveItsCap(@TempDir Path dir) throws Exception {
    int exit =
        new CommandLine(new SimBenchCommand())
            .execute(
                "--overlay", "hyparview,full-mesh",
                "--nodes", "40",
                "--scenario", "joins,fail-half",
                "--full-mesh-max", "30",
                "--broadcasts", "3",
                "--pairs", "20",
                "--seed", "3",
                "--out", dir.toString());
    assertThat(exit).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    int columns = SimReport.HEADER.split(",").length;
    assertThat(lines.get(0)).isEqualTo(SimReport.HEADER);
    assertThat(lines).hasSize(5);
    for (String row : lines.subList(1, 5)) {
      assertThat(row.split(",", -1)).as(row).hasSize(columns);
    }
    assertThat(lines.get(1)).startsWith("hyparview,joins,40,3,ok,40,");
    assertThat(lines.get(2)).startsWith("hyparview,fail-half,40,3,ok,20,");
    assertThat(lines.get(3)).startsWith("full-mesh,joins,40,3,skipped,");
    assertThat(Files.readString(dir.resolve("summary.md")))
        .contains("| hyparview | joins | 40 | 3 | 40 |")
        .contains("skipped: full mesh is O(n^2)");
  }

  @Test
  void refusesUnknownScenariosAndOverlays() {
    int exit =
        new CommandLine(new SimBenchCommand())
            .execute("--scenario", "meteor", "--overlay", "ring", "--nodes", "10");
    assertThat(exit).isNotZero();
  }
}
