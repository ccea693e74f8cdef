package dev.partisan.bench.echo;

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
