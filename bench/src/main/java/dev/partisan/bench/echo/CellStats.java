package dev.partisan.bench.echo;

import org.HdrHistogram.Histogram;

/**
 * What one cell measured: round trips that completed inside the measured window.
 *
 * @param latencyNanos request sent (first attempt) to ack received
 * @param queueFull sends refused with a full queue and retried (their wait counts in the latency)
 */
record CellStats(
    double seconds,
    Histogram latencyNanos,
    long queueFull,
    long timeouts,
    long failures,
    String firstFailure) {

  static final long HIGHEST_NANOS = 120_000_000_000L;

  static Histogram newHistogram() {
    return new Histogram(HIGHEST_NANOS, 3);
  }

  long requests() {
    return latencyNanos.getTotalCount();
  }

  double requestsPerSecond() {
    return requests() / seconds;
  }

  double micros(double percentile) {
    return requests() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1e3;
  }

  double maxMicros() {
    return requests() == 0 ? 0 : latencyNanos.getMaxValue() / 1e3;
  }
}
