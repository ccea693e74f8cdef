package dev.partisan.bench.adcounter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one ad-counter run does: {@code ads} ads with a threshold of {@code threshold} impressions
 * each, {@code clients} clients spread over {@code nodes} nodes, each reading the counter of the ad
 * it just showed after every {@code readEvery} of its impressions and refreshing its list of
 * enabled ads every {@code refreshMillis}; the run ends when every ad is disabled, after {@code
 * seconds}, or after {@code maxIncrements} increments, whichever comes first. Immutable.
 */
record AdCounterSettings(
    int ads,
    long threshold,
    int clients,
    int readEvery,
    long refreshMillis,
    double seconds,
    long maxIncrements,
    int nodes,
    int ringSize,
    long timeoutMillis) {

  AdCounterSettings {
    require(ads >= 1, "--ads must be at least 1");
    require(threshold >= 1, "--threshold must be at least 1");
    require(clients >= 1, "--clients must be at least 1");
    require(readEvery >= 1, "--read-every must be at least 1");
    require(refreshMillis >= 1, "--refresh-ms must be at least 1");
    require(seconds > 0, "--seconds must be positive");
    require(maxIncrements >= 1, "--max-increments must be at least 1");
    require(nodes >= 1 && nodes <= 16, "--nodes must be 1..16");
    require(ringSize >= 1, "--ring-size must be at least 1");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The settings by name, for config.properties. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ads", ads);
    m.put("threshold", threshold);
    m.put("clients", clients);
    m.put("readEvery", readEvery);
    m.put("refreshMillis", refreshMillis);
    m.put("seconds", seconds);
    m.put("maxIncrements", maxIncrements);
    m.put("nodes", nodes);
    m.put("ringSize", ringSize);
    m.put("timeoutMillis", timeoutMillis);
    return m;
  }
}
