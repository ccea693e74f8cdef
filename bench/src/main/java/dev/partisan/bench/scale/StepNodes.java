package dev.partisan.bench.scale;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of one step, wherever they run: all in this JVM ({@link LocalNodes}) or spread over
 * child processes ({@link ProcessNodes}, each child a {@link LocalNodes} behind {@code bench
 * scale-host}). Nodes are numbered 0..N-1 across the step ({@link HostSpec#name}); nodes join
 * through the contacts 0..K-1 of a {@link JoinPlan}, one wave at a time. The step drives it from
 * its own thread, one call at a time; every answer covers all of the step's nodes.
 */
interface StepNodes {
  /** Every node's name and listening port, in node order, and the start-up time. */
  Started started();

  /**
   * The nodes of {@code wave} of {@code plan} join, each through its contact; {@code concurrency}
   * joins in flight at once in all.
   */
  JoinOutcome join(JoinPlan plan, int wave, int concurrency, long deadlineNanos)
      throws InterruptedException;

  /** How many nodes see all N members up, and the lowest count any node sees. */
  UpCount upCount() throws InterruptedException;

  /** Outbound messages queued on all links now. */
  long queued() throws InterruptedException;

  /** Per node: connections as the runtime counts them and its overlay neighbours. */
  List<NodeView> views() throws InterruptedException;

  /** Node {@code origin} broadcasts Shout {@code id} to every sink. */
  void broadcast(int origin, long id) throws InterruptedException;

  /** How many sinks have Shout {@code id}, and when the last one got it (System.nanoTime). */
  Shouts shouts(long id) throws InterruptedException;

  /** Sends each Ping from its node to its destination's sink; what was refused at send. */
  Sent ping(List<PingOrder> orders) throws InterruptedException;

  /** Pings delivered to their destinations and Pongs back at their senders so far. */
  Replies replies() throws InterruptedException;

  /** What the nodes hold and counted at the end of the measurement (after the tests). */
  EndCounts endCounts() throws InterruptedException;

  /**
   * Peak heap, threads, descriptors, RSS per process since the step started; live heap after GC.
   */
  List<ProcessPeaks> peaks() throws InterruptedException;

  /** Closes every node and frees every port; notes and timings go to the result. */
  void close(StepResult result);

  record Started(List<String> names, List<Integer> ports, double seconds) {}

  record UpCount(int converged, int minUp) {}

  record NodeView(String name, long sockets, Set<String> neighbours) {}

  record Shouts(int count, long lastNanos) {}

  /** Ping {@code id} from node {@code from} to node {@code to} (node numbers of the step). */
  record PingOrder(long id, int from, int to) {}

  /** Send times by ping id (System.nanoTime) and refusals by {@code SendResult} name. */
  record Sent(Map<Long, Long> sentAt, Map<String, Integer> refused) {}

  record Replies(int pings, int pongs) {}

  /**
   * Counters summed over nodes: per channel messages sent and received, messages queued, nodes that
   * see all N up, inbound drops, the sinks' duplicates, misdeliveries and refused Pongs, the
   * delivery time of each Ping (System.nanoTime by id), the traffic tap's counts and the WARN/ERROR
   * log of the measurement.
   */
  record EndCounts(
      long membershipSent,
      long membershipReceived,
      long defaultSent,
      long defaultReceived,
      long queued,
      long upAll,
      long droppedInbound,
      long duplicates,
      long misdelivered,
      long pongSendFailures,
      Map<Long, Long> pingTimes,
      List<TrafficTap.Count> traffic,
      ScaleLog.Counts log) {}

  /** One process's peaks during the step; its live heap after a full GC; its open-file limit. */
  record ProcessPeaks(
      long pid,
      long heapBytes,
      long liveHeapBytes,
      long threads,
      long fds,
      long rssBytes,
      long fdLimit) {}
}
