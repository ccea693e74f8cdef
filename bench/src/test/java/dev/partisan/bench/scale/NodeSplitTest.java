package dev.partisan.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.bench.scale.StepNodes.EndCounts;
import dev.partisan.bench.scale.StepNodes.Started;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splitting a step's nodes over processes, and adding the processes' answers back up. */
class NodeSplitTest {
  @Test
  void everyNodeIsInExactlyOneProcessAndTheSharesDifferByAtMostOne() {
    for (int processes : List.of(1, 2, 3, 4, 7)) {
      for (int n : List.of(2, 8, 10, 64, 1024)) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (int c = 0; c < processes; c++) {
          List<Integer> mine = NodeSplit.nodesOf(c, processes, n);
          sizes.add(mine.size());
          for (int k = 0; k < mine.size(); k++) {
            int node = mine.get(k);
            assertThat(seen.add(node)).as("node %d twice", node).isTrue();
            assertThat(NodeSplit.owner(node, processes)).isEqualTo(c);
            assertThat(NodeSplit.local(node, processes)).isEqualTo(k);
          }
        }
        assertThat(seen).hasSize(n);
        assertThat(
                sizes.stream().mapToInt(Integer::intValue).max().getAsInt()
                    - sizes.stream().mapToInt(Integer::intValue).min().getAsInt())
            .isLessThanOrEqualTo(1);
      }
    }
    assertThat(NodeSplit.owner(0, 4)).as("the contact").isZero();
    assertThatThrownBy(() -> NodeSplit.nodesOf(4, 4, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientServerServersAreSpreadOverEveryProcess() {
    // 64 servers of 1024 nodes over 8 processes: 8 servers each, not 64 in the first.
    for (int c = 0; c < 8; c++) {
      long servers = NodeSplit.nodesOf(c, 8, 1024).stream().filter(i -> i < 64).count();
      assertThat(servers).isEqualTo(8);
    }
  }

  @Test
  void descriptorsPerProcessShrinkWithProcessesAndOneProcessHoldsEverything() {
    JoinPlan cs = JoinPlan.forStep("client-server", 1024, 64, 8, 42);
    long one = NodeSplit.fdsPerProcess("client-server", 1024, 64, 200, 1, cs);
    long eight = NodeSplit.fdsPerProcess("client-server", 1024, 64, 200, 8, cs);
    assertThat(one).isEqualTo(1024 + 2 * NodeSplit.connections("client-server", 1024, 64, 200));
    assertThat(eight).isEqualTo((one + 7) / 8);
    assertThat(eight).isLessThan(20_000).isGreaterThan(15_000);
    // One contact holds a connection to every joiner, all in process 0.
    JoinPlan single = JoinPlan.of(1024, 1, 42);
    long hv4 = NodeSplit.fdsPerProcess("hyparview", 1024, 0, 200, 4, single);
    long hv1 = NodeSplit.fdsPerProcess("hyparview", 1024, 0, 200, 1, single);
    assertThat(hv4).isEqualTo((hv1 + 3) / 4 + 1023);
    // Eight contacts spread over 4 processes: each process holds about a quarter of them.
    JoinPlan eightContacts = JoinPlan.of(1024, 8, 42);
    long spread = NodeSplit.fdsPerProcess("hyparview", 1024, 0, 200, 4, eightContacts);
    assertThat(spread - (hv1 + 3) / 4)
        .isEqualTo(eightContacts.joinersOfBusiestProcess(4))
        .isBetween(200L, 400L);
    assertThat(NodeSplit.fdsPerProcess("full-mesh", 256, 0, 200, 1, single)).isGreaterThan(65_000);
  }

  @Test
  void theChildrenStartedListsComeBackInNodeOrder() {
    Started p0 = new Started(List.of("n0", "n2", "n4"), List.of(1000, 1002, 1004), 1.5);
    Started p1 = new Started(List.of("n1", "n3"), List.of(1001, 1003), 2.5);
    Started all = ProcessNodes.inNodeOrder(List.of(p0, p1), 5, 2);
    assertThat(all.names()).containsExactly("n0", "n1", "n2", "n3", "n4");
    assertThat(all.ports()).containsExactly(1000, 1001, 1002, 1003, 1004);
    assertThat(all.seconds()).isEqualTo(2.5);
  }

  @Test
  void joinsInFlightAreSharedOutButNeverZero() {
    assertThat(ProcessNodes.perProcess(8, 4)).isEqualTo(2);
    assertThat(ProcessNodes.perProcess(8, 3)).isEqualTo(3);
    assertThat(ProcessNodes.perProcess(8, 16)).isEqualTo(1);
  }

  @Test
  void joinOutcomesMergeAndSayWhatFailed() {
    JoinOutcome a =
        new JoinOutcome(
            3, 3, List.of(10_000_000L, 30_000_000L), Map.of("E: x", 1), 1, 1, false, Map.of(0, 3));
    JoinOutcome b =
        new JoinOutcome(
            4, 2, List.of(20_000_000L), Map.of("E: x", 1, "F: y", 1), 2, 0, true, Map.of(1, 1));
    JoinOutcome m = JoinOutcome.merge(List.of(a, b));
    assertThat(m.joiners()).isEqualTo(7);
    assertThat(m.failedAtFirst()).isEqualTo(3);
    assertThat(m.joined()).isEqualTo(4);
    StepResult r = new StepResult("hyparview", 8, 0);
    m.applyTo(r);
    assertThat(r.joinFailures).isEqualTo(3);
    assertThat(r.joinP50Ms).isEqualTo(20.0);
    assertThat(r.joinMaxMs).isEqualTo(30.0);
    assertThat(m.joinedByContact()).containsEntry(0, 3).containsEntry(1, 1);
    assertThat(r.joined).isEqualTo(4);
    assertThat(r.joinContactsUsed).isEqualTo(2);
    assertThat(r.joinsPerContactMax).isEqualTo(3);
    assertThat(String.join("; ", r.notes))
        .contains("5 of 7 nodes had asked to join")
        .contains("still pending")
        .contains("3 join(s) failed at first (2x E: x, 1x F: y); retried 3, 1 succeeded");
  }

  @Test
  void endCountsAddUpAndTrafficMergesByType() {
    ScaleLog.Counts log =
        new ScaleLog.Counts(2, 1, 1, List.of(new ScaleLog.PatternCount("WARN x: y", "y!", 2)), 0);
    EndCounts a =
        new EndCounts(
            10,
            9,
            5,
            5,
            1,
            3,
            0,
            0,
            0,
            0,
            Map.of(1L, 100L),
            List.of(new TrafficTap.Count("Ping", 4, 0), new TrafficTap.Count("Gossip", 2, 7)),
            log);
    EndCounts b =
        new EndCounts(
            20,
            20,
            6,
            4,
            2,
            2,
            1,
            1,
            0,
            1,
            Map.of(2L, 200L),
            List.of(new TrafficTap.Count("Gossip", 5, 1)),
            log);
    EndCounts sum = EndCountsSum.of(List.of(a, b));
    assertThat(sum.membershipSent()).isEqualTo(30);
    assertThat(sum.membershipReceived()).isEqualTo(29);
    assertThat(sum.defaultReceived()).isEqualTo(9);
    assertThat(sum.upAll()).isEqualTo(5);
    assertThat(sum.pongSendFailures()).isEqualTo(1);
    assertThat(sum.pingTimes()).containsEntry(1L, 100L).containsEntry(2L, 200L);
    assertThat(sum.traffic())
        .containsExactly(new TrafficTap.Count("Gossip", 7, 8), new TrafficTap.Count("Ping", 4, 0));
    assertThat(sum.log().warnings()).isEqualTo(4);
    assertThat(sum.log().tooManyOpenFiles()).isEqualTo(2);
    assertThat(sum.log().patterns())
        .containsExactly(new ScaleLog.PatternCount("WARN x: y", "y!", 4));
  }
}
