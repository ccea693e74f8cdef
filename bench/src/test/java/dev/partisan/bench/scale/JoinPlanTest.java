package dev.partisan.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who joins through whom: the contacts have joined first, joiners are spread, seeded. */
class JoinPlanTest {
  @Test
  void everyContactHasJoinedBeforeAnyoneJoinsThroughIt() {
    for (int k : List.of(1, 2, 8, 32)) {
      JoinPlan plan = JoinPlan.of(1024, k, 42);
      assertThat(plan.contactOf(0)).isEqualTo(-1);
      assertThat(plan.waveOf(0)).isZero();
      for (int node = 1; node < 1024; node++) {
        int contact = plan.contactOf(node);
        assertThat(contact).as("node %d", node).isBetween(0, k - 1).isNotEqualTo(node);
        assertThat(plan.waveOf(contact))
            .as("node %d's contact %d joins in an earlier wave", node, contact)
            .isLessThan(plan.waveOf(node));
      }
    }
  }

  @Test
  void theFirstWaveIsTheContactsThroughNodeZeroThenEveryOtherNode() {
    JoinPlan plan = JoinPlan.of(16, 4, 7);
    List<Integer> all = IntStream.range(0, 16).boxed().toList();
    assertThat(plan.waves()).containsExactly(JoinPlan.CONTACTS_WAVE, JoinPlan.OTHERS_WAVE);
    assertThat(plan.joinersIn(JoinPlan.CONTACTS_WAVE, all)).containsExactly(1, 2, 3);
    assertThat(plan.joinersIn(JoinPlan.OTHERS_WAVE, all))
        .containsExactlyElementsOf(IntStream.range(4, 16).boxed().toList());
    for (int node = 1; node < 4; node++) {
      assertThat(plan.contactOf(node)).isZero();
    }
    // A child sees only its own nodes (node i in child i mod 2): its share of each wave.
    List<Integer> child1 = NodeSplit.nodesOf(1, 2, 16);
    assertThat(plan.joinersIn(JoinPlan.CONTACTS_WAVE, child1)).containsExactly(1, 3);
    assertThat(plan.joinersIn(JoinPlan.OTHERS_WAVE, child1)).containsExactly(5, 7, 9, 11, 13, 15);
  }

  @Test
  void oneContactIsEveryNodeThroughNodeZeroInOneWave() {
    JoinPlan plan = JoinPlan.of(64, 1, 42);
    assertThat(plan.waves()).containsExactly(JoinPlan.OTHERS_WAVE);
    for (int node = 1; node < 64; node++) {
      assertThat(plan.contactOf(node)).isZero();
    }
    assertThat(plan.joinersPerContact()).containsExactly(63);
  }

  @Test
  void joinersAreSpreadOverTheContactsAndTheirProcesses() {
    JoinPlan plan = JoinPlan.of(1024, 8, 42);
    int[] load = plan.joinersPerContact();
    assertThat(IntStream.of(load).sum()).isEqualTo(1023);
    // 1,016 drawn over 8 contacts (~127 each), plus the 7 of the first wave on node 0.
    for (int c = 0; c < 8; c++) {
      assertThat(load[c]).as("contact %d", c).isBetween(80, 190);
    }
    // Contacts 0..7 in 4 processes: two each, none holding more than ~a third of the joiners.
    assertThat(plan.joinersOfBusiestProcess(4)).isBetween(256L, 340L);
    assertThat(plan.joinersOfBusiestProcess(1)).isEqualTo(1023);
  }

  @Test
  void theDrawDependsOnlyOnTheSeed() {
    List<Integer> a = contacts(JoinPlan.of(512, 8, 42));
    assertThat(contacts(JoinPlan.of(512, 8, 42))).isEqualTo(a);
    assertThat(contacts(JoinPlan.of(512, 8, 43))).isNotEqualTo(a);
  }

  @Test
  void contactsAreCappedByTheStepAndClientServerJoinsThroughServersOnly() {
    assertThat(JoinPlan.of(4, 8, 1).contacts()).isEqualTo(4);
    assertThat(JoinPlan.of(4, 0, 1).contacts()).isEqualTo(1);
    assertThat(JoinPlan.forStep("client-server", 256, 16, 32, 1).contacts()).isEqualTo(16);
    assertThat(JoinPlan.forStep("client-server", 256, 16, 8, 1).contacts()).isEqualTo(8);
    assertThat(JoinPlan.forStep("hyparview", 256, 0, 32, 1).contacts()).isEqualTo(32);
    assertThatThrownBy(() -> new JoinPlan(4, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JoinPlan.of(4, 2, 1).contactOf(4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Integer> contacts(JoinPlan plan) {
    List<Integer> contacts = new ArrayList<>();
    for (int node = 1; node < plan.n(); node++) {
      contacts.add(plan.contactOf(node));
    }
    return contacts;
  }
}
