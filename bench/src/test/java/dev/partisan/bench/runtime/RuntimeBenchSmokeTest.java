package dev.partisan.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench runtime --quick} briefly and checks the shape of what it writes. */
class RuntimeBenchSmokeTest {

  private static final Set<String> MUST_BE_POSITIVE =
      Set.of(
          "connections",
          "tput_senders",
          "tput_messages_per_s",
          "tput_payload_mb_per_s",
          "tput_wire_mb_per_s",
          "lat_requesters",
          "lat_requests_per_s",
          "lat_p50_us",
          "lat_p99_us",
          "lat_p999_us",
          "lat_max_us",
          "lat_mean_us");

  @Test
  @Timeout(60)
  void quickRunWritesSummaryAndCsv(@TempDir Path dir) throws Exception {
    int exit =
        new CommandLine(new RuntimeBenchCommand())
            .execute(
                "--quick",
                "--duration",
                "1",
                "--warmup",
                "0",
                "--payloads",
                "1024",
                "--out",
                dir.toString());
    assertThat(exit).isZero();

    Path csv = dir.resolve("results.csv");
    Path summary = dir.resolve("summary.md");
    assertThat(csv).isRegularFile();
    assertThat(summary).isRegularFile();

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("config,payload_bytes,metric,value,unit");
    List<String> rows = lines.subList(1, lines.size());
    Map<String, Double> values = new HashMap<>();
    for (String row : rows) {
      String[] f = row.split(",", -1);
      assertThat(f).as(row).hasSize(5);
      assertThat(f[0]).isIn("baseline", "channels-4x4");
      assertThat(f[1]).isEqualTo("1024");
      assertThat(f[4]).isNotBlank();
      double v = Double.parseDouble(f[3]);
      assertThat(v).as(row).isFinite().isGreaterThanOrEqualTo(0);
      assertThat(values.put(f[0] + "/" + f[2], v)).as("duplicate row " + row).isNull();
    }
    int metricsPerCell = rows.size() / 2;
    assertThat(rows).hasSize(2 * metricsPerCell);
    for (String config : List.of("baseline", "channels-4x4")) {
      for (String metric : MUST_BE_POSITIVE) {
        assertThat(values.get(config + "/" + metric)).as(config + " " + metric).isPositive();
      }
      assertThat(values.keySet().stream().filter(k -> k.startsWith(config + "/")))
          .hasSize(metricsPerCell);
    }

    String md = Files.readString(summary);
    assertThat(md)
        .contains("# Runtime benchmark")
        .contains("| Config | Payload | Conns |")
        .contains("| baseline | 1 KiB |")
        .contains("| channels-4x4 | 1 KiB |")
        .contains("## Configuration")
        .contains("JVM: ")
        .contains("cores available to the JVM: " + Runtime.getRuntime().availableProcessors());
  }
}
