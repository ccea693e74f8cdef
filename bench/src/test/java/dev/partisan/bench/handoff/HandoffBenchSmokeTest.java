package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench handoff --quick} and checks the shape of what it writes (not timings). */
class HandoffBenchSmokeTest {
  @Test
  @Timeout(240)
  void quickRunWritesCsvAndSummary(@TempDir Path dir) throws Exception {
    int exit =
        new CommandLine(new HandoffBenchCommand())
            .execute(
                "--quick",
                "--out",
                dir.resolve("out").toString(),
                "--data-dir",
                dir.resolve("data").toString());
    assertThat(exit).isZero();

    Path csv = dir.resolve("out/results.csv");
    Path summary = dir.resolve("out/summary.md");
    assertThat(csv).isRegularFile();
    assertThat(summary).isRegularFile();

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo(HandoffReport.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> rows = lines.subList(1, lines.size());
    // Two modes x one round x two phases x two operations.
    assertThat(rows).hasSize(8);
    List<String> seen = new ArrayList<>();
    for (String row : rows) {
      List<String> f = List.of(row.split(",", -1));
      assertThat(f).as(row).hasSize(header.size());
      assertThat(f.get(0)).isIn("channels", "baseline");
      assertThat(f.get(1)).isEqualTo("1");
      assertThat(f.get(2)).isIn("idle", "handoff");
      assertThat(f.get(3)).isIn("get", "put");
      seen.add(f.get(0) + "/" + f.get(2) + "/" + f.get(3));
      for (int i = 4; i <= 10; i++) {
        assertThat(Double.parseDouble(f.get(i))).as(header.get(i) + " in " + row).isFinite();
      }
      if (f.get(2).equals("handoff")) {
        assertThat(Double.parseDouble(f.get(11))).as("MiB handed off in " + row).isPositive();
        assertThat(f.get(14)).isEqualTo("true");
      }
    }
    assertThat(seen).doesNotHaveDuplicates();
    String text = Files.readString(summary);
    assertThat(text)
        .startsWith("# bench handoff")
        .contains("| channels | 1 | handoff | get |")
        .contains("| baseline | 1 | handoff | get |")
        .contains("| channels | handoff | get |")
        .contains("ratio");
  }
}
