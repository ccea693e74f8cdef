package dev.partisan.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench kv --nodes processes}: three {@code partisan-kv start} processes form a cluster, the
 * load runs against them over HTTP with no errors, and no node process is left afterwards (by pid).
 * Never a timing.
 */
class KvProcessesTest {
  private static final Pattern PIDS = Pattern.compile("pids ([0-9, ]+)\\)");

  @Test
  @Timeout(300)
  void aClusterOfNodeProcessesServesTheLoadAndIsGoneAfterwards(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int exit =
        new CommandLine(new KvBenchCommand())
            .execute(
                "--nodes=processes",
                "--target=http-local",
                "--duration=2",
                "--rounds=1",
                "--concurrency=2",
                "--keys=100",
                "--ring-size=16",
                "--out",
                out.toString());
    assertThat(exit).isZero();

    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).contains("3 partisan-kv node processes");
    List<String> getRow =
        summary.lines().filter(l -> l.startsWith("| get |")).findFirst().stream().toList();
    assertThat(getRow).hasSize(1);
    String[] cells = getRow.get(0).split("\\|");
    assertThat(Long.parseLong(cells[2].trim())).as("gets").isPositive();
    assertThat(Long.parseLong(cells[3].trim())).as("errors").isZero();

    Matcher pids = PIDS.matcher(summary);
    assertThat(pids.find()).isTrue();
    long[] nodePids =
        Arrays.stream(pids.group(1).split(","))
            .map(String::trim)
            .mapToLong(Long::parseLong)
            .toArray();
    assertThat(nodePids).hasSize(3);
    for (long pid : nodePids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("node process %d after the run", pid)
          .isEmpty();
    }
  }
}
