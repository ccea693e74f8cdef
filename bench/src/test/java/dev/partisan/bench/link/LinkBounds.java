package dev.partisan.bench.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

/**
 * The bounds the link model guarantees however loaded the machine is, checked the same way against
 * {@code bench link}'s proxy and against the runtime's in-process emulator: lower bounds only (a
 * delay cannot be shortened, a cap or a window cannot be beaten), never a "fast enough".
 */
final class LinkBounds {
  private LinkBounds() {}

  /** Every measured round trip took at least the emulated one: twice the one-way delay. */
  static void assertNoRoundTripShorter(LinkSettings link, List<Long> roundTripNanos) {
    long floor = link.oneWayDelay().multipliedBy(2).toNanos();
    assertThat(Collections.min(roundTripNanos))
        .as("shortest of %d round trips (ns), emulated RTT %d ns", roundTripNanos.size(), floor)
        .isGreaterThanOrEqualTo(floor);
  }

  /**
   * {@code bytes} crossed the capped link in {@code elapsedNanos}: no faster than the cap, but for
   * one window (bytes a connection may have handed over before the measurement could see them).
   */
  static void assertNotFasterThanCap(LinkSettings link, long bytes, long elapsedNanos) {
    long floor = capNanos(link.bitsPerSecond(), bytes - link.windowBytes());
    assertThat(elapsedNanos)
        .as("%d B over %d bit/s, window %d B", bytes, link.bitsPerSecond(), link.windowBytes())
        .isGreaterThanOrEqualTo(floor);
  }

  /** Link time for {@code bytes} at {@code bitsPerSecond}. */
  static long capNanos(long bitsPerSecond, long bytes) {
    return (long) (bytes * 8e9 / bitsPerSecond);
  }
}
