package dev.partisan.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench scale --processes 2}: each step's nodes in two child JVMs over real loopback TCP.
 * HyParView at 8 and 16 nodes and client-server at 8, joined through several contacts in both
 * children, answer every join through the contact the plan gave it, converge, deliver the broadcast
 * to every node and every routed unicast and its reply, count the connections of every node, and
 * leave no child process and no open socket on the step's ports behind. Never a timing.
 */
class ScaleProcessesTest {
  @Test
  @Timeout(180)
  void aLadderOverTwoProcessesDeliversEverythingAndLeavesNothingBehind(@TempDir Path dir)
      throws Exception {
    int exit =
        new CommandLine(new ScaleBenchCommand())
            .execute(
                "--processes=2",
                "--process-heap=256m",
                "--overlays=hyparview,client-server",
                "--nodes=8,16",
                "--max=client-server=8",
                "--join-contacts=3",
                "--pairs=20",
                "--budget-seconds=60",
                "--delivery-timeout=20",
                "--heartbeat-ms=250",
                "--detection-ms=5000",
                "--gossip-ms=500",
                "--event-loops=1",
                "--timer-threads=1",
                "--out",
                dir.toString());
    assertThat(exit).isZero();

    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(ScaleBenchSmokeTest.parseCsvRow(line));
    }
    assertThat(rows).hasSize(4); // hyparview 8, 16; client-server 8, 16 (skipped by --max)
    List<Long> pids = new ArrayList<>();
    for (List<String> row : rows) {
      String step = row.get(0) + " N=" + row.get(1);
      if (row.get(0).equals("client-server") && row.get(1).equals("16")) {
        assertThat(col(header, row, "status")).as(step).isEqualTo("SKIPPED");
        continue;
      }
      assertThat(col(header, row, "status")).as(step + ": " + row).isEqualTo("OK");
      assertThat(col(header, row, "processes")).as(step).isEqualTo("2");
      assertThat(col(header, row, "converge_s")).as(step).isNotEmpty();
      assertThat(col(header, row, "converged_nodes")).as(step).isEqualTo(row.get(1));
      int n = Integer.parseInt(row.get(1));
      // Client-server joins through its servers only: 2 at N=8.
      JoinPlan plan =
          JoinPlan.forStep(row.get(0), n, row.get(0).equals("hyparview") ? 0 : 2, 3, 42);
      assertThat(col(header, row, "join_contacts"))
          .as(step)
          .isEqualTo(Integer.toString(plan.contacts()));
      assertThat(plan.contacts()).as(step).isGreaterThan(1);
      assertThat(col(header, row, "joined"))
          .as("every join answered: " + step)
          .isEqualTo(Integer.toString(n - 1));
      int[] load = plan.joinersPerContact();
      assertThat(col(header, row, "join_contacts_used"))
          .as("each contact answered the joins planned for it: " + step)
          .isEqualTo(Long.toString(IntStream.of(load).filter(l -> l > 0).count()));
      assertThat(col(header, row, "joins_per_contact_max"))
          .as(step)
          .isEqualTo(Integer.toString(IntStream.of(load).max().getAsInt()));
      assertThat(Double.parseDouble(col(header, row, "broadcast_ratio"))).as(step).isEqualTo(1.0);
      assertThat(Double.parseDouble(col(header, row, "unicast_ratio"))).as(step).isEqualTo(1.0);
      assertThat(Double.parseDouble(col(header, row, "reply_ratio"))).as(step).isEqualTo(1.0);
      assertThat(Long.parseLong(col(header, row, "misdelivered"))).as(step).isZero();
      assertThat(Double.parseDouble(col(header, row, "sockets_mean"))).as(step).isPositive();
      assertThat(Long.parseLong(col(header, row, "tcp_established_endpoints")))
          .as("both ends of every connection are on the step's ports, in either child: " + step)
          .isGreaterThanOrEqualTo(Long.parseLong(col(header, row, "sockets_total")));
      assertThat(Long.parseLong(col(header, row, "peak_fds_sum")))
          .as(step)
          .isGreaterThan(Long.parseLong(col(header, row, "peak_fds")));
      assertThat(Long.parseLong(col(header, row, "leftover_sockets"))).as(step).isZero();
      List<Long> stepPids =
          List.of(col(header, row, "pids").split(" ")).stream().map(Long::parseLong).toList();
      assertThat(stepPids).as(step).hasSize(2).doesNotContain(ProcessHandle.current().pid());
      pids.addAll(stepPids);
    }
    assertThat(pids).doesNotHaveDuplicates();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("child %d after the run", pid)
          .isEmpty();
    }
    assertThat(dir.resolve("hosts")).isDirectory();
    assertThat(Files.readString(dir.resolve("summary.md")))
        .contains("nodes spread over 2 JVMs")
        .contains("2 processes, sums: peak heap")
        .contains("joins: through 3 contacts")
        .contains("through 3 contact(s), at most");
  }

  private static String col(List<String> header, List<String> row, String name) {
    int i = header.indexOf(name);
    assertThat(i).as("column " + name).isNotNegative();
    return row.get(i);
  }
}
