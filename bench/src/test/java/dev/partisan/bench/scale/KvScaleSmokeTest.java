package dev.partisan.bench.scale;

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
 * {@code bench kv-scale --quick} on HyParView and full mesh: KV nodes in two child JVMs form one
 * ring and serve a quorum load; on full mesh a killed replica costs no request (N=3, R=W=2 still
 * met); no child outlives the run.
 */
class KvScaleSmokeTest {
  @Test
  @Timeout(300)
  void kvNodesInChildProcessesFormARingAndServeAQuorumLoad(@TempDir Path dir) throws Exception {
    Set<Long> before = ChildProcesses.alive();
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new KvScaleCommand())
            .execute("--quick", "--overlays", "hyparview,full-mesh", "--out", out.toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines.get(0)).isEqualTo(KvScaleReport.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(4); // 2 overlays x (steady, after-kill)
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(f[header.indexOf("joined")]).as(row).isEqualTo("11");
      assertThat(Long.parseLong(f[header.indexOf("gets")])).as(row).isPositive();
      assertThat(Long.parseLong(f[header.indexOf("puts")])).as(row).isPositive();
      assertThat(f[header.indexOf("failure")]).as(row).isEmpty();
      if (f[0].equals("full-mesh") || f[header.indexOf("phase")].equals("steady")) {
        assertThat(Double.parseDouble(f[header.indexOf("served")])).as(row).isEqualTo(1.0);
      }
    }
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("# bench kv-scale", "| hyparview | 12 |", "| full-mesh | 12 |");
    assertThat(ChildProcesses.alive()).as("children left after the run").isEqualTo(before);
  }
}
