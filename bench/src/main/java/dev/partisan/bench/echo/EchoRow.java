package dev.partisan.bench.echo;

import java.util.Locale;

/**
 * One measured cell of the echo experiment in one round.
 *
 * @param round the round (from 1) of the ABBA schedule that measured it
 */
record EchoRow(
    String section,
    double rttMs,
    long bandwidthMbit,
    String config,
    int actors,
    int payload,
    CellStats stats,
    int round) {

  double mibPerSecond() {
    return stats.requestsPerSecond() * payload / 1048576.0;
  }

  double gbitPerSecond() {
    return stats.requestsPerSecond() * payload * 8 / 1e9;
  }

  /** Same section, RTT, sender count and payload. */
  boolean sameCell(EchoRow o) {
    return section.equals(o.section)
        && rttMs == o.rttMs
        && actors == o.actors
        && payload == o.payload;
  }

  /** The row as the bench logs it when measured. */
  String logLine() {
    CellStats s = stats;
    return String.format(
        Locale.ROOT,
        "[%s r%d] rtt %.0f ms %-34s %3d x %8d B: %7d req, %9.1f req/s, %8.1f MiB/s, p50 %9.0f us, p99"
            + " %9.0f us%s",
        section,
        round,
        rttMs,
        config,
        actors,
        payload,
        s.requests(),
        s.requestsPerSecond(),
        mibPerSecond(),
        s.micros(50),
        s.micros(99),
        s.failures() + s.timeouts() > 0
            ? " ("
                + s.failures()
                + " failures, "
                + s.timeouts()
                + " timeouts: "
                + s.firstFailure()
                + ")"
            : "");
  }

  static String size(int bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KB";
    }
    return bytes + " B";
  }
}
