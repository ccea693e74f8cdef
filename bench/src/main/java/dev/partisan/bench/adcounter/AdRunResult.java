package dev.partisan.bench.adcounter;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One run of the ad counter on one overlay, in one round: the per-second series, the whole run's
 * latencies, each ad's outcome, and the overlay's direct links between nodes when the clients
 * started (n(n-1)/2 is a full mesh; fewer means some requests are relayed). Immutable once built
 * (the histograms are not touched again).
 */
record AdRunResult(
    String overlay,
    int round,
    double seconds,
    long increments,
    long reads,
    long refreshes,
    long errors,
    boolean allDisabled,
    int links,
    Histogram updateMicros,
    Histogram readMicros,
    List<Second> series,
    List<Ad> ads) {

  /**
   * One second of the run (the last one may be shorter: {@code length} seconds): what was
   * acknowledged in it, and how many ads were still enabled at its end.
   */
  record Second(
      int second,
      double length,
      long increments,
      long errors,
      Histogram update,
      Histogram read,
      int enabled) {
    double incrementsPerSecond() {
      return increments / Math.max(1e-3, length);
    }
  }

  /**
   * One ad at the end: the increments acknowledged to clients, the count its replicas agree on
   * afterwards (at least {@code acked}: a timed-out increment may still have been applied), and
   * when it was disabled (NaN if never).
   */
  record Ad(String name, long acked, long finalCount, double disabledAtSeconds) {
    /** Impressions counted past the threshold. */
    long overCount(long threshold) {
      return Math.max(0, finalCount - threshold);
    }
  }

  double incrementsPerSecond() {
    return increments / seconds;
  }

  /** The ads' over-counts summed. */
  long totalOverCount(long threshold) {
    return ads.stream().mapToLong(a -> a.overCount(threshold)).sum();
  }

  long maxOverCount(long threshold) {
    return ads.stream().mapToLong(a -> a.overCount(threshold)).max().orElse(0);
  }

  /** Seconds until the last ad was disabled, or NaN if some never was. */
  double lastDisabledSeconds() {
    return allDisabled
        ? ads.stream().mapToDouble(Ad::disabledAtSeconds).max().orElse(Double.NaN)
        : Double.NaN;
  }
}
