package dev.partisan.runtime.sim;

import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.overlay.Overlays;
import java.time.Duration;

/**
 * One simulated run: the overlay and its settings (the production defaults unless changed), the
 * failure-detection timings (the runtime's defaults: heartbeat 500 ms, detection 3 s, gossip 1 s),
 * the simulated links, and the scenario's shape.
 *
 * @param nodes nodes formed by the joins (churn replaces some; fail-half kills half)
 * @param seed the one seed every random choice of the run derives from
 * @param servers client-server only: the first {@code servers} nodes are servers
 * @param joinInterval time between two joins while the cluster forms
 * @param contacts the first nodes, which the others join through (chosen at random among them)
 * @param settleMax the longest a phase waits for convergence
 * @param churnFraction the fraction of nodes replaced by the churn scenario
 * @param churnPeriod the time over which churn's departures and arrivals are spread
 * @param broadcasts broadcasts measured (from random live origins)
 * @param pairs routed unicasts measured (random pairs of live nodes)
 */
public record SimConfig(
    OverlaySettings overlay,
    FailureDetection failureDetection,
    int nodes,
    long seed,
    Duration minLatency,
    Duration maxLatency,
    double loss,
    int servers,
    Duration joinInterval,
    int contacts,
    Duration settleMax,
    double churnFraction,
    Duration churnPeriod,
    int broadcasts,
    int pairs) {

  public SimConfig {
    if (nodes < 2) {
      throw new IllegalArgumentException("a simulation needs at least 2 nodes");
    }
    if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
      throw new IllegalArgumentException("need 0 <= min latency <= max latency");
    }
    if (loss < 0 || loss >= 1) {
      throw new IllegalArgumentException("loss must be in [0, 1)");
    }
    if (contacts < 1 || broadcasts < 1 || pairs < 1) {
      throw new IllegalArgumentException("contacts, broadcasts and pairs must be >= 1");
    }
  }

  /** The runtime's defaults for {@code overlay}, links of 1-5 ms, no loss. */
  public static SimConfig defaults(String overlay, int nodes, long seed) {
    return new SimConfig(
        Overlays.defaults(overlay),
        new FailureDetection(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1)),
        nodes,
        seed,
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        0,
        Math.max(2, nodes / 16),
        Duration.ofMillis(20),
        3,
        Duration.ofSeconds(120),
        0.2,
        Duration.ofSeconds(60),
        10,
        200);
  }

  public SimConfig withNodes(int n) {
    return new SimConfig(
        overlay,
        failureDetection,
        n,
        seed,
        minLatency,
        maxLatency,
        loss,
        Math.max(2, n / 16),
        joinInterval,
        contacts,
        settleMax,
        churnFraction,
        churnPeriod,
        broadcasts,
        pairs);
  }

  public SimConfig withSeed(long s) {
    return new SimConfig(
        overlay,
        failureDetection,
        nodes,
        s,
        minLatency,
        maxLatency,
        loss,
        servers,
        joinInterval,
        contacts,
        settleMax,
        churnFraction,
        churnPeriod,
        broadcasts,
        pairs);
  }

  public SimConfig withTimings(FailureDetection fd, Duration joins, Duration settle) {
    return new SimConfig(
        overlay,
        fd,
        nodes,
        seed,
        minLatency,
        maxLatency,
        loss,
        servers,
        joins,
        contacts,
        settle,
        churnFraction,
        churnPeriod,
        broadcasts,
        pairs);
  }

  public SimConfig withLinks(Duration min, Duration max, double lossFraction) {
    return new SimConfig(
        overlay,
        failureDetection,
        nodes,
        seed,
        min,
        max,
        lossFraction,
        servers,
        joinInterval,
        contacts,
        settleMax,
        churnFraction,
        churnPeriod,
        broadcasts,
        pairs);
  }

  public SimConfig withMeasurements(int broadcastCount, int pairCount) {
    return new SimConfig(
        overlay,
        failureDetection,
        nodes,
        seed,
        minLatency,
        maxLatency,
        loss,
        servers,
        joinInterval,
        contacts,
        settleMax,
        churnFraction,
        churnPeriod,
        broadcastCount,
        pairCount);
  }
}
