package dev.partisan.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GcPausesTest {

  @Test
  void concurrentCollectorBeansAreNotPauses() {
    assertThat(GcPauses.isPause("G1 Young Generation")).isTrue();
    assertThat(GcPauses.isPause("G1 Old Generation")).isTrue();
    assertThat(GcPauses.isPause("ZGC Minor Pauses")).isTrue();
    assertThat(GcPauses.isPause("G1 Concurrent GC")).isFalse();
    assertThat(GcPauses.isPause("ZGC Major Cycles")).isFalse();
  }

  @Test
  void aCollectionShowsInTheIntervalAndTheNextIntervalStartsEmpty() {
    try (GcPauses pauses = new GcPauses()) {
      System.gc(); // a full, stop-the-world collection with the test JVM's collector (G1)
      // Notifications arrive on the JVM's notification thread, after the collection.
      GcPauses.Interval[] seen = new GcPauses.Interval[1];
      await().atMost(Duration.ofSeconds(10)).until(() -> (seen[0] = pauses.interval()).count() > 0);
      assertThat(seen[0].maxMs()).isLessThanOrEqualTo(seen[0].totalMs());
      assertThat(pauses.interval().count()).isZero();
    }
  }
}
