package dev.partisan.jepsen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.jepsen.History.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker's rules on hand-written histories and final reads (no cluster needed). */
class CheckerTest {

  @TempDir Path dir;

  private final Checker checker = new Checker(null, Duration.ofSeconds(1));

  @Test
  void findsLostUnexpectedDivergentAndWhereUnknownWritesWent() {
    History h = new History(dir.resolve("history.txt"));
    add(h, "p0", "a", Type.OK);
    add(h, "p1", "b", Type.OK);
    add(h, "p0", "c", Type.INFO);
    add(h, "p1", "d", Type.INFO);
    add(h, "p0", "f", Type.FAIL);
    h.close();
    Checker.Attempts a = Checker.attempts(h.events(), "add", "bucket");
    assertThat(a.acked()).containsExactly("a", "b");
    assertThat(a.unknown()).containsExactly("c", "d");
    assertThat(a.failed()).containsExactly("f");

    Map<String, Set<String>> reads = new LinkedHashMap<>();
    reads.put("node1", Set.of("a", "c", "x"));
    reads.put("node2", Set.of("a", "b", "c", "f"));
    Checker.Verdict v = checker.checkSet("set", true, a, reads);

    assertThat(v.lost()).containsExactly("b"); // missing on node1
    assertThat(v.unexpected()).containsExactly("f (failed add present)", "x");
    assertThat(v.divergence()).hasSize(1);
    assertThat(v.unknownPresent()).isEqualTo(1);
    assertThat(v.unknownAbsent()).isEqualTo(1);
    assertThat(v.passed()).isFalse();
    assertThat(v.lossRate()).isEqualTo(0.5);
  }

  @Test
  void aReportedConfigurationNeverFailsButStillCountsLoss() {
    History h = new History(dir.resolve("history.txt"));
    add(h, "p0", "a", Type.OK);
    add(h, "p1", "b", Type.OK);
    h.close();
    Checker.Attempts a = Checker.attempts(h.events(), "add", "bucket");
    Checker.Verdict v =
        checker.checkSet("lww", false, a, Map.of("node1", Set.of("b"), "node2", Set.of("b")));
    assertThat(v.lost()).containsExactly("a");
    assertThat(v.divergence()).isEmpty();
    assertThat(v.passed()).isTrue();
  }

  @Test
  void agreeingCompleteReadsPass() {
    History h = new History(dir.resolve("history.txt"));
    add(h, "p0", "a", Type.OK);
    add(h, "p1", "b", Type.INFO);
    h.close();
    Checker.Attempts a = Checker.attempts(h.events(), "add", "bucket");
    Checker.Verdict v =
        checker.checkSet("set", true, a, Map.of("node1", Set.of("a"), "node2", Set.of("a")));
    assertThat(v.passed()).isTrue();
    assertThat(v.unknownAbsent()).isEqualTo(1);
  }

  @Test
  void siblingsOfAMultipartBodyAreMergedByUnion() {
    assertThat(KvClient.parseElements(" a b\r\nc  ")).containsExactly("a", "b", "c");
  }

  @Test
  void aCounterMissingAnAcknowledgedIncrementFails() {
    History h = new History(dir.resolve("history.txt"));
    incr(h, "p0", 3, Type.OK);
    incr(h, "p1", 5, Type.OK);
    incr(h, "p0", 2, Type.INFO);
    h.close();
    Checker.CounterAttempts a = Checker.counterAttempts(h.events(), "incr", COUNTER);
    assertThat(a.ackedSum()).isEqualTo(8);
    assertThat(a.unknownSum()).isEqualTo(2);

    // The unknown 2 applied cannot make up for a lost acknowledged 3: 7 < 8.
    Checker.Verdict v = checker.checkCounter("counter", a, reads(7, 7));

    assertThat(v.passed()).isFalse();
    assertThat(v.lost()).hasSize(2).allMatch(l -> l.contains("1 under the acknowledged sum 8"));
    assertThat(v.unexpected()).isEmpty();
    assertThat(v.divergence()).isEmpty();
    assertThat(v.counter().shortfall()).isEqualTo(1);
    assertThat(v.lossRate()).isEqualTo(1.0 / 8);
  }

  @Test
  void aCounterWithinTheUnknownBoundPassesWhereverTheUnknownIncrementsWent() {
    History h = new History(dir.resolve("history.txt"));
    incr(h, "p0", 3, Type.OK);
    incr(h, "p1", 5, Type.OK);
    incr(h, "p0", 2, Type.INFO);
    incr(h, "p1", 4, Type.INFO);
    incr(h, "p1", 1, Type.FAIL);
    h.close();
    Checker.CounterAttempts a = Checker.counterAttempts(h.events(), "incr", COUNTER);
    assertThat(a).isEqualTo(new Checker.CounterAttempts(2, 1, 2, 8, 1, 6));

    for (long value : new long[] {8, 10, 12, 14}) {
      Checker.Verdict v = checker.checkCounter("counter", a, reads(value, value));
      assertThat(v.passed()).as("value %d", value).isTrue();
      assertThat(v.counter().unknownApplied()).isEqualTo(value - 8);
      assertThat(v.acked()).isEqualTo(2);
      assertThat(v.unknown()).isEqualTo(2);
      assertThat(v.failed()).isEqualTo(1);
      assertThat(v.attempted()).isEqualTo(5);
    }
  }

  @Test
  void aCounterOverTheBoundOrDisagreeingFails() {
    History h = new History(dir.resolve("history.txt"));
    incr(h, "p0", 3, Type.OK);
    incr(h, "p1", 2, Type.INFO);
    incr(h, "p1", 4, Type.FAIL);
    h.close();
    Checker.CounterAttempts a = Checker.counterAttempts(h.events(), "incr", COUNTER);

    // A failed increment certainly did not happen: 3 + 2 + 4 is over the bound of 5.
    Checker.Verdict over = checker.checkCounter("counter", a, reads(9, 9));
    assertThat(over.passed()).isFalse();
    assertThat(over.unexpected()).hasSize(2).allMatch(u -> u.contains("4 over"));
    assertThat(over.lost()).isEmpty();

    // Both values are within the bounds, but the nodes must agree.
    Checker.Verdict split = checker.checkCounter("counter", a, reads(3, 5));
    assertThat(split.passed()).isFalse();
    assertThat(split.divergence()).containsExactly("node2 reads 5, node1 reads 3");
    assertThat(split.lost()).isEmpty();
    assertThat(split.unexpected()).isEmpty();
  }

  @Test
  void theSetDataTypeIsCheckedOnItsOwnOperationsOnly() {
    History h = new History(dir.resolve("history.txt"));
    add(h, "p0", "a", Type.OK);
    op(h, "p1", "dt-add", "sets/b/set", "d1", Type.OK);
    op(h, "p0", "dt-add", "sets/b/set", "d2", Type.INFO);
    h.close();
    Checker.Attempts a = Checker.attempts(h.events(), "dt-add", "sets/b/set");
    assertThat(a.attempted()).containsExactly("d1", "d2");

    Checker.Verdict lostOne =
        checker.checkSet("set (data type)", true, a, Map.of("node1", Set.of("d2")));
    assertThat(lostOne.passed()).isFalse();
    assertThat(lostOne.lost()).containsExactly("d1");
    Checker.Verdict fine =
        checker.checkSet("set (data type)", true, a, Map.of("node1", Set.of("d1")));
    assertThat(fine.passed()).isTrue();
  }

  @Test
  void theCounterVerdictNamesTheBoundsAndEachNodesValue() {
    Checker.Verdict v =
        checker.checkCounter(
            "counter (data type)", new Checker.CounterAttempts(2, 0, 1, 8, 0, 3), reads(7, 9));
    String text =
        Report.verdictText(
            new Report.ScenarioResult("s", "none", "p", 1, 1L, java.util.List.of(v), null));
    assertThat(text)
        .contains("counter (data type): FAIL")
        .contains("8 <= value <= 11; read: {node1=7, node2=9}")
        .contains("node1 reads 7, 1 under the acknowledged sum 8");
  }

  private static final String COUNTER = "counters/b/counter";

  private static Map<String, Long> reads(long node1, long node2) {
    Map<String, Long> reads = new LinkedHashMap<>();
    reads.put("node1", node1);
    reads.put("node2", node2);
    return reads;
  }

  private static void incr(History h, String process, int amount, Type outcome) {
    op(h, process, "incr", COUNTER, String.valueOf(amount), outcome);
  }

  private static void add(History h, String process, String element, Type outcome) {
    op(h, process, "add", "bucket", element, outcome);
  }

  /** One operation's invocation and completion, as the generator records them. */
  private static void op(
      History h, String process, String f, String target, String value, Type outcome) {
    h.record(process, Type.INVOKE, f, target, value, null);
    h.record(process, outcome, f, target, value, outcome.name());
  }
}
