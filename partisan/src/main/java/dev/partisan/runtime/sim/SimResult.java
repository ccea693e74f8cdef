package dev.partisan.runtime.sim;

/**
 * The figures of one simulated scenario. Times are virtual (simulated) seconds except {@code
 * wallSeconds}; NaN where a figure was not reached.
 *
 * @param convergeSeconds from the end of the scenario's disturbance (the last join, the end of the
 *     churn, the failure) until the overlay's graph converged ({@link Topology#graphConverged}),
 *     NaN if it did not hold when the settle bound passed
 * @param membersSeconds the same for the membership: every live node's up members are exactly the
 *     live nodes
 * @param end the topology when the measurements began
 * @param ghosts nodes gone (crashed or left) that some live node still counts as up, at the end
 * @param unseen live nodes that some live node does not count as up, at the end
 * @param broadcastDelivery fraction of (broadcast, live node) deliveries that happened
 * @param copiesPerNode payload copies received per broadcast per live node (1.0 = no redundancy)
 * @param unicastDelivery fraction of routed unicasts (random live pairs) delivered
 * @param meanHops mean hops of the delivered unicasts (1 = direct)
 * @param maxHops most hops a delivered unicast took
 * @param digest hash of every delivery of the run: equal for equal seeds
 * @param heapMiB heap in use at the end, as the caller measured it (-1: not measured)
 */
public record SimResult(
    String scenario,
    String overlay,
    int nodes,
    long seed,
    double convergeSeconds,
    double membersSeconds,
    Topology end,
    int ghosts,
    int unseen,
    double broadcastDelivery,
    double copiesPerNode,
    double unicastDelivery,
    double meanHops,
    int maxHops,
    long actorFailures,
    double virtualSeconds,
    double wallSeconds,
    long events,
    long messages,
    long digest,
    long heapMiB) {

  public double eventsPerSecond() {
    return wallSeconds <= 0 ? 0 : events / wallSeconds;
  }

  /** The target of the issue: one component, every broadcast everywhere. */
  public boolean oneComponentFullBroadcast() {
    return end.components() == 1 && broadcastDelivery >= 1.0;
  }
}
