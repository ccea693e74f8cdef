package dev.partisan.http.config;

import java.time.Duration;

/**
 * The web console's settings (docs/console.md).
 *
 * @param enabled whether {@code /console} and its API are served
 * @param interval how often a watched console samples the cluster (200 ms .. 60 s)
 * @param maxStreams how many event streams the node serves at once; one more gets 503
 */
public record ConsoleSettings(boolean enabled, Duration interval, int maxStreams) {
  public static final long MIN_INTERVAL_MS = 200;
  public static final long MAX_INTERVAL_MS = 60_000;

  public ConsoleSettings {
    long ms = interval.toMillis();
    if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
      throw new IllegalArgumentException(
          "setting 'console.interval_ms' must be "
              + MIN_INTERVAL_MS
              + ".."
              + MAX_INTERVAL_MS
              + ", got "
              + ms);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException(
          "setting 'console.max_streams' must be > 0, got " + maxStreams);
    }
  }

  /** The defaults of the settings catalog: on, every second, 16 streams. */
  public static ConsoleSettings defaults() {
    return new ConsoleSettings(true, Duration.ofSeconds(1), 16);
  }
}
