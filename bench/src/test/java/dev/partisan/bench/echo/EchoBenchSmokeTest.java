package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.bench.report.ProvenanceAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench echo --quick} and checks the shape of what it writes (never timings). */
class EchoBenchSmokeTest {
  @Test
  @Timeout(180)
  void quickRunWritesCsvSummaryChartsAndConfig(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit = new CommandLine(new EchoBenchCommand()).execute("--quick", "--out", out.toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines.get(0)).isEqualTo(EchoReport.CSV_HEADER);
    int columns = lines.get(0).split(",", -1).length;
    List<String[]> rows =
        lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    // 3 link checks + 5 configs x 2 payloads + 5 configs and raw TCP on loopback.
    assertThat(rows).hasSize(3 + 10 + 6);
    for (String[] f : rows) {
      assertThat(f).hasSize(columns);
      assertThat(f[0]).isIn("link-check", "echo", "loopback");
      for (int i = 6; i <= 16; i++) {
        assertThat(Double.parseDouble(f[i])).isFinite().isNotNegative();
      }
      assertThat(Long.parseLong(f[7])).as("requests in %s", String.join(",", f)).isPositive();
    }
    Set<String> configs =
        rows.stream().filter(f -> f[0].equals("echo")).map(f -> f[3]).collect(Collectors.toSet());
    assertThat(configs).containsExactlyInAnyOrderElementsOf(EchoConfig.names());
    assertThat(rows.stream().filter(f -> f[3].equals("baseline") && f[0].equals("echo")))
        .allMatch(f -> f[19].equals("1.00"));

    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).startsWith("# bench echo").contains("## link-check", "## loopback");
    for (String png : List.of("p99-1ms-1KB.png", "throughput-1ms-64KB.png")) {
      assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
    }
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("quick=true", "machine.cores=", "rounds=1");
    assertThat(rows).allMatch(f -> f[20].equals("1"));
    ProvenanceAssertions.assertRecorded(out, "bench echo --quick --out ");
  }

  @Test
  @Timeout(120)
  void roundsRunAbbaAndTheSummaryShowsMediansAndPairedRatios(@TempDir Path dir) throws Exception {
    Path out =
        twoSenders(
            dir,
            "--rounds=3",
            "--payloads=1024",
            "--configs=baseline,parallel-affinity",
            "--seconds=0.3");
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    // In the order they ran: A B, B A, A B.
    assertThat(lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)))
        .extracting(f -> f[3] + " " + f[20])
        .containsExactly(
            "baseline 1",
            "parallel-affinity 1",
            "parallel-affinity 2",
            "baseline 2",
            "baseline 3",
            "parallel-affinity 3");
    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).contains("3 round(s), configurations in ABBA order (AB BA AB");
    assertThat(summary)
        .contains("No link emulator: plain loopback TCP")
        .doesNotContain("Emulated link");
    // Baseline's ratios to itself are 1.00 in every round: no spread, and noise by definition.
    assertThat(summary)
        .containsPattern("\\| baseline \\| 2 \\| 1 KB \\| 3 \\| [^|]+ \\|.*\\| 1.00x noise \\|");
    assertThat(summary).containsPattern("\\| parallel-affinity \\| 2 \\| 1 KB \\| 3 \\|.*x");
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("rounds=3", "roundOrder=AB BA AB");
    ProvenanceAssertions.assertRecorded(out, "bench echo --rounds=3 --payloads=1024");
  }

  @Test
  @Timeout(120)
  void tlsRunCarriesRequestsBetweenNodesWithCertificates(@TempDir Path dir) throws Exception {
    Path out =
        twoSenders(
            dir,
            "--tls",
            "--rounds=1",
            "--payloads=1024,524288",
            "--configs=parallel-affinity",
            "--seconds=0.5");
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines).hasSize(3);
    for (String line : lines.subList(1, lines.size())) {
      assertThat(Long.parseLong(line.split(",", -1)[7])).as("requests in %s", line).isPositive();
    }
    assertThat(Files.readString(out.resolve("config.properties")))
        .contains("tls=TLS 1.3, mutual authentication, provider");
  }

  /** A run of two senders over plain loopback, no checks, then {@code args}; its output. */
  private static Path twoSenders(Path dir, String... args) {
    Path out = dir.resolve("out");
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--actors=2",
            "--rtt-ms=0",
            "--warmup=0",
            "--no-link-check",
            "--no-loopback-check",
            "--out",
            out.toString()));
    assertThat(new CommandLine(new EchoBenchCommand()).execute(all.toArray(String[]::new)))
        .isZero();
    return out;
  }
}
