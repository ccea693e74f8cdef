package dev.partisan.kv.report;

import java.util.List;

/**
 * One node's view of itself at one moment, as the operator console shows it: its overlay and
 * neighbours, the traffic of each of its lanes, its handoff and anti-entropy, and the request
 * latency its embedding measures. Immutable; sent between nodes (wire type, see {@code KvTypes}),
 * so every component is a type the runtime's codec carries (records, lists, strings, numbers; no
 * enums or instants).
 *
 * @param node the node's name
 * @param timeMs when the report was built (the node's wall clock, ms since the epoch)
 * @param overlay the overlay kind the node runs ({@code full-mesh}, {@code hyparview}, ...)
 * @param neighbours the nodes the overlay keeps this node connected to, sorted
 * @param lanes one entry per lane of every link the node has
 * @param handoff its handoff activity
 * @param aae its anti-entropy totals
 * @param latency request latency by operation, as the embedding reports it (empty when none)
 * @param clientUrls the node's client URLs (e.g. its HTTP API) if the embedding gives them
 */
public record NodeReport(
    String node,
    long timeMs,
    String overlay,
    List<String> neighbours,
    List<LaneReport> lanes,
    HandoffSummary handoff,
    AaeTotals aae,
    List<LatencySummary> latency,
    List<String> clientUrls) {

  public NodeReport {
    neighbours = List.copyOf(neighbours);
    lanes = List.copyOf(lanes);
    latency = List.copyOf(latency);
    clientUrls = List.copyOf(clientUrls);
  }

  /**
   * One lane's counters since the lane began (a restarted lane starts from 0 again).
   *
   * @param peer the node at the other end
   * @param channel the channel's name
   * @param lane the lane's index in the channel
   * @param trafficClass the channel's traffic class, lower case ({@code latency}, {@code bulk})
   * @param sendWaitNanos total time the sent messages waited before they were written
   * @param sendWaitMaxNanos the longest such wait since the lane began
   */
  public record LaneReport(
      String peer,
      String channel,
      int lane,
      String trafficClass,
      long messagesSent,
      long bytesSent,
      long messagesReceived,
      long bytesReceived,
      long queuedMessages,
      long queuedBytes,
      long sendWaitNanos,
      long sendWaitMaxNanos) {}

  /**
   * The node's handoff (see {@code HandoffStatus}).
   *
   * @param concurrency transfers at once (0: paused)
   * @param rateLimitBytesPerSecond outbound limit, 0 when unlimited
   * @param waiting transfers due but not started
   */
  public record HandoffSummary(
      int concurrency,
      long rateLimitBytesPerSecond,
      int waiting,
      long completed,
      long failed,
      long objectsSent,
      long bytesSent,
      List<ActiveTransfer> active) {

    public HandoffSummary {
      active = List.copyOf(active);
    }
  }

  /**
   * A running transfer seen from this node.
   *
   * @param type {@code ownership} or {@code hinted}
   * @param direction {@code outbound} or {@code inbound}
   * @param bytesPerSecond average rate since the transfer started
   */
  public record ActiveTransfer(
      int partition,
      String from,
      String to,
      String type,
      String direction,
      String phase,
      long objects,
      long bytes,
      double bytesPerSecond) {}

  /** The node's active anti-entropy totals since it started (see {@code AaeStatus}). */
  public record AaeTotals(boolean enabled, long exchanges, long keysRepaired, int repairQueue) {}
}
