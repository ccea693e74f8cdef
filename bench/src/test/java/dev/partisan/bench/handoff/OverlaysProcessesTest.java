package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.process.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench overlays --processes}: the seeded nodes run as {@code bench handoff-node} children,
 * behind link proxies; the handoff to the joining node completes and no child outlives the run.
 */
class OverlaysProcessesTest {
  @Test
  @Timeout(240)
  void seededNodesInTheirOwnProcessesHandOffToTheJoiningNode(@TempDir Path dir) throws Exception {
    Set<Long> before = ChildProcesses.alive();
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new OverlaysBenchCommand())
            .execute(
                "--quick",
                "--processes",
                "--overlays",
                "hyparview",
                "--configs",
                "baseline,channels",
                "--rtt-ms",
                "2",
                "--out",
                out.toString(),
                "--data-dir",
                dir.resolve("data").toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(4); // 2 configurations x 2 phases
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(Double.parseDouble(f[header.indexOf("get_ops")])).as(row).isPositive();
      if (f[4].equals("handoff")) {
        assertThat(Double.parseDouble(f[header.indexOf("handoff_mib")])).as(row).isPositive();
        assertThat(f[header.indexOf("handoff_complete")]).as(row).isEqualTo("true");
      }
    }
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("the 2 seeded ones each in its own JVM", "each behind a link proxy (1.0 ms each");
    assertThat(Files.readString(out.resolve("config.properties"))).contains("processes=true");
    assertThat(ChildProcesses.alive()).as("children left after the run").isEqualTo(before);
  }
}
