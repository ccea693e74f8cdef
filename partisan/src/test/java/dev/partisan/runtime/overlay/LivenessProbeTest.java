package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The liveness probe picks, once per probe period, a member nobody here monitors, walks all such
 * members in turn, and reports one down only after two failed probes in a row of the same life.
 */
class LivenessProbeTest {
  private static final long PERIOD = 1_000_000_000L;
  private static final long PROBE_PERIOD = PERIOD * LivenessProbe.PERIODS;

  private final MembershipSet set = new MembershipSet();
  private final LivenessProbe probe = new LivenessProbe(set, "m0", PERIOD, "m0");
  private long now = 1;

  @Test
  void probesEveryUnmonitoredAliveMemberInTurnAndNeverItselfOrANeighbour() {
    for (int i = 0; i < 20; i++) {
      set.merge(List.of(member(i, 1, i == 7 ? Status.DOWN : Status.ALIVE)));
    }
    Set<String> monitored = Set.of("m3", "m4");
    assertThat(probe.next(now, monitored::contains))
        .as("the first tick starts the period")
        .isNull();
    Set<String> probed = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Member m = probe.next(now += PROBE_PERIOD, monitored::contains);
      assertThat(probe.next(now, monitored::contains)).as("none while one is under way").isNull();
      probed.add(m.id().name());
      assertThat(probe.result(m, true)).isNull();
      assertThat(probe.next(now + PROBE_PERIOD / 2, monitored::contains))
          .as("at most one probe per period")
          .isNull();
    }
    Set<String> expected = new HashSet<>();
    for (int i = 1; i < 20; i++) {
      expected.add("m" + i);
    }
    expected.removeAll(List.of("m3", "m4", "m7"));
    assertThat(probed).isEqualTo(expected);
  }

  @Test
  void aMemberIsReportedDownOnlyAfterTwoFailedProbesOfTheSameLife() {
    set.merge(List.of(member(0, 1, Status.ALIVE), member(1, 4, Status.ALIVE)));
    probe.next(now, n -> false);
    Member first = probe.next(now += PROBE_PERIOD, n -> false);
    assertThat(first.id().name()).isEqualTo("m1");
    assertThat(probe.result(first, false)).as("one failure is not enough").isNull();

    Member again = probe.next(now += PROBE_PERIOD, n -> false);
    assertThat(again).as("the failed member is probed again next").isEqualTo(first);
    Member down = probe.result(again, false);
    assertThat(down).isEqualTo(new Member(first.id(), 4, Status.DOWN, "server"));
  }

  @Test
  void anAnswerOrAChangedEntryClearsTheFailure() {
    set.merge(List.of(member(0, 1, Status.ALIVE), member(1, 1, Status.ALIVE)));
    probe.next(now, n -> false);
    Member m = probe.next(now += PROBE_PERIOD, n -> false);
    probe.result(m, false);
    Member again = probe.next(now += PROBE_PERIOD, n -> false);
    set.merge(List.of(member(1, 2, Status.ALIVE))); // it refuted a rumour meanwhile
    assertThat(probe.result(again, false)).isNull();

    List<Member> next = new ArrayList<>();
    next.add(probe.next(now += PROBE_PERIOD, n -> false));
    assertThat(next.get(0).version()).as("the new entry is probed afresh").isEqualTo(2);
    assertThat(probe.result(next.get(0), false)).isNull();
  }

  private static Member member(int i, long version, Status status) {
    return new Member(new NodeId("m" + i, "10.0.0.1", 9000 + i, 1), version, status, "server");
  }
}
