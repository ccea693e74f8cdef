package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A peer needs a heartbeat only when nothing else was sent to it within the last tick. */
class HeartbeatsTest {
  private static final long TICK = 500_000_000L;

  private final Heartbeats heartbeats = new Heartbeats(TICK);

  @Test
  void aPeerSentNothingGetsItsHeartbeat() {
    heartbeats.startTick(TICK);
    assertThat(heartbeats.due("a")).isTrue();
  }

  @Test
  void otherTrafficWithinTheLastTickStandsInForTheHeartbeat() {
    heartbeats.sent("a", 10 * TICK - 1);
    heartbeats.startTick(10 * TICK);
    assertThat(heartbeats.due("a")).as("sent just before this tick").isFalse();
    assertThat(heartbeats.due("b")).as("another peer").isTrue();

    heartbeats.startTick(11 * TICK);
    assertThat(heartbeats.due("a")).as("nothing since: the next tick heartbeats it").isTrue();
  }

  @Test
  void aSendAFullTickAgoNoLongerCounts() {
    heartbeats.sent("a", 10 * TICK);
    heartbeats.startTick(11 * TICK);
    assertThat(heartbeats.due("a")).isTrue();
  }
}
