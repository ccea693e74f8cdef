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

  private static void add(History h, String process, String element, Type outcome) {
    h.record(process, Type.INVOKE, "add", "bucket", element, null);
    h.record(process, outcome, "add", "bucket", element, outcome.name());
  }
}
