package dev.partisan.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench scale --quick} with tiny clusters and checks the shape of what it writes. */
class ScaleBenchSmokeTest {
  private static final Set<String> STATUSES = Set.of("OK", "FAIL", "LIMIT", "SKIPPED", "ERROR");
  private static final List<String> OVERLAYS = List.of("full-mesh", "client-server", "hyparview");

  @Test
  @Timeout(60)
  void quickRunWritesCsvAndSummary(@TempDir Path dir) throws Exception {
    int exit =
        new CommandLine(new ScaleBenchCommand())
            .execute(
                "--quick",
                "--nodes",
                "3,5",
                "--pairs",
                "10",
                "--budget-seconds",
                "20",
                "--delivery-timeout",
                "5",
                "--heartbeat-ms",
                "250",
                "--detection-ms",
                "2500",
                "--gossip-ms",
                "500",
                "--out",
                dir.toString());
    assertThat(exit).isZero();

    Path csv = dir.resolve("results.csv");
    Path summary = dir.resolve("summary.md");
    assertThat(csv).isRegularFile();
    assertThat(summary).isRegularFile();

    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(",", -1));
    assertThat(header)
        .startsWith("overlay", "nodes", "servers", "status", "reason")
        .contains(
            "converge_s",
            "sockets_mean",
            "sockets_max",
            "broadcast_ratio",
            "unicast_ratio",
            "reply_ratio",
            "peak_heap_mb",
            "peak_threads")
        .doesNotHaveDuplicates();
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(OVERLAYS.size() * 2);
    List<String> seen = new ArrayList<>();
    for (String row : rows) {
      List<String> f = parseCsvRow(row);
      assertThat(f).as(row).hasSize(header.size());
      assertThat(f.get(0)).isIn(OVERLAYS);
      assertThat(f.get(1)).isIn("3", "5");
      assertThat(f.get(3)).isIn(STATUSES);
      seen.add(f.get(0) + "/" + f.get(1));
      for (int i = 5 + 1; i < f.size(); i++) {
        String v = f.get(i);
        if (!v.isEmpty()) {
          assertThat(Double.parseDouble(v)).as(header.get(i) + " in " + row).isFinite();
        }
      }
      if (f.get(3).equals("OK")) {
        for (String metric : List.of("converge_s", "sockets_mean", "broadcast_ratio")) {
          assertThat(f.get(header.indexOf(metric))).as(metric + " in " + row).isNotEmpty();
        }
      }
    }
    assertThat(seen).doesNotHaveDuplicates();

    String md = Files.readString(summary);
    assertThat(md)
        .contains("# Scale benchmark")
        .contains("## Results")
        .contains(ScaleReport.TABLE_HEADER.strip())
        .contains("## Where each ladder stopped")
        .contains("## Anomalies")
        .contains("## Configuration")
        .contains("bench scale --quick")
        .contains("timings: relaxed")
        .contains("open-file limit");
    for (String overlay : OVERLAYS) {
      assertThat(md).contains("| " + overlay + " | 3 |").contains("| " + overlay + " | 5 |");
    }
  }

  /** Splits one RFC 4180 row (quoted fields may hold commas and doubled quotes). */
  static List<String> parseCsvRow(String row) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < row.length(); i++) {
      char c = row.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    fields.add(cur.toString());
    return fields;
  }
}
