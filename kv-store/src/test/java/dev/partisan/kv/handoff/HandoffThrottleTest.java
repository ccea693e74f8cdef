package dev.partisan.kv.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HandoffThrottleTest {
  static final long SECOND = 1_000_000_000L;
  static final long BURST = 50_000_000L; // idle time the throttle banks

  @Test
  void reservationsAreSpacedAtTheRateWhateverTheirCaller() {
    HandoffThrottle t = new HandoffThrottle(1_000_000); // 1 MB/s
    long now = 10 * SECOND;
    assertThat(t.reserve(1_000_000, now)).isZero(); // first batch goes at once
    // The next one waits for the first one's second (less the banked burst), and so on.
    assertThat(t.reserve(500_000, now)).isEqualTo(SECOND - BURST);
    assertThat(t.reserve(500_000, now)).isEqualTo(SECOND + SECOND / 2 - BURST);
    // Long idle: only a short burst is banked, not the whole idle time.
    long later = now + 60 * SECOND;
    assertThat(t.reserve(1_000_000, later)).isZero();
    assertThat(t.reserve(1_000_000, later)).isEqualTo(SECOND - BURST);
  }

  @Test
  void zeroMeansUnlimitedAndTheRateChangesAtRunTime() {
    HandoffThrottle t = new HandoffThrottle(0);
    assertThat(t.reserve(1L << 40, 0)).isZero();
    assertThat(t.reserve(1L << 40, 0)).isZero();
    t.setRate(2_000_000);
    assertThat(t.rate()).isEqualTo(2_000_000);
    assertThat(t.reserve(2_000_000, 5 * SECOND)).isZero();
    assertThat(t.reserve(1, 5 * SECOND)).isEqualTo(SECOND - BURST);
    assertThatThrownBy(() -> t.setRate(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
