package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.report.ProvenanceAssertions;
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
  /** Runs the command and returns the CSV's rows, each checked against the header. */
  private static List<List<String>> run(Path dir, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(
        List.of(
            "--quick",
            "--out",
            dir.resolve("out").toString(),
            "--data-dir",
            dir.resolve("data").toString()));
    int exit = new CommandLine(new HandoffBenchCommand()).execute(args.toArray(String[]::new));
    assertThat(exit).isZero();
    assertThat(dir.resolve("out/summary.md")).isRegularFile();
    assertThat(dir.resolve("out/config.properties")).isRegularFile();
    ProvenanceAssertions.assertRecorded(dir.resolve("out"), "bench handoff ");
    List<String> lines = Files.readAllLines(dir.resolve("out/results.csv"));
    assertThat(lines.get(0)).isEqualTo(HandoffReport.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<List<String>> rows = new ArrayList<>();
    for (String row : lines.subList(1, lines.size())) {
      List<String> f = List.of(row.split(",", -1));
      assertThat(f).as(row).hasSize(header.size());
      assertThat(f.get(3)).isEqualTo("1"); // --quick: one round
      assertThat(f.get(4)).isIn("idle", "handoff");
      for (String column : List.of("seconds", "get_ops", "get_p99_us", "put_p99_us")) {
        assertThat(Double.parseDouble(f.get(header.indexOf(column))))
            .as(column + " in " + row)
            .isFinite()
            .isNotNegative();
      }
      if (f.get(4).equals("handoff")) {
        assertThat(Double.parseDouble(f.get(header.indexOf("handoff_mib"))))
            .as("MiB handed off in " + row)
            .isPositive();
        assertThat(f.get(header.indexOf("handoff_complete"))).isEqualTo("true");
      }
      rows.add(f);
    }
    return rows;
  }

  @Test
  @Timeout(300)
  void quickRunOfTheDefaultModesWritesCsvAndSummary(@TempDir Path dir) throws Exception {
    List<List<String>> rows = run(dir);
    // Three modes x one round x two phases.
    assertThat(rows).hasSize(6);
    assertThat(rows.stream().map(f -> f.get(2) + "/" + f.get(4)).distinct())
        .containsExactlyInAnyOrder(
            "baseline/idle",
            "baseline/handoff",
            "channels-no-classes/idle",
            "channels-no-classes/handoff",
            "channels/idle",
            "channels/handoff");
    assertThat(rows).allSatisfy(f -> assertThat(f.get(1)).isEqualTo("3"));
    String text = Files.readString(dir.resolve("out/summary.md"));
    assertThat(text)
        .startsWith("# bench handoff")
        .contains("| channels-no-classes | 1 | handoff |")
        .contains("| baseline | handoff |")
        .contains("handoff / idle", "baseline / mode", "get p99 per round")
        .contains("- anti-entropy: off");
    assertThat(Files.readString(dir.resolve("out/config.properties")))
        .contains("modes=[baseline, channels-no-classes, channels]", "nodes=3", "quick=true");
  }

  @Test
  @Timeout(300)
  void quickRunWithAntiEntropyOnFiveNodes(@TempDir Path dir) throws Exception {
    List<List<String>> rows =
        run(
            dir,
            "--aae",
            "--nodes",
            "5",
            "--modes",
            "channels",
            "--kv",
            "anti_entropy.concurrency=4");
    assertThat(rows).hasSize(2);
    assertThat(rows).allSatisfy(f -> assertThat(f.get(1)).isEqualTo("5"));
    String text = Files.readString(dir.resolve("out/summary.md"));
    assertThat(text)
        .contains("- nodes: 5 (node1, node2, node3, node4 seeded", "node5 joins")
        .contains("- anti-entropy: on", "4 at once per node")
        .contains("- store settings (--kv): anti_entropy.concurrency=4")
        .contains("## Anti-entropy in each phase", "| channels | idle |");
  }
}
