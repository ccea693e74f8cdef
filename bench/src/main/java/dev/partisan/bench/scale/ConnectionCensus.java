package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepNodes.EndCounts;
import dev.partisan.bench.scale.StepNodes.NodeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a step's nodes hold, from their views ({@link StepNodes#views}): connections per node, the
 * neighbour graph's shape, and (from the end counts) the messages still in transit. Pure
 * computation on the step's thread.
 */
final class ConnectionCensus {
  private ConnectionCensus() {}

  /** Connections per node as the runtime counts them, and the neighbour graph's shape. */
  static void countConnections(List<NodeView> views, Set<Integer> ports, StepResult result) {
    long[] sockets = sockets(views);
    result.socketsTotal = sockets[0];
    result.socketsMax = sockets[1];
    result.socketsMin = sockets[2];
    result.socketsMean = (double) sockets[0] / views.size();
    result.tcpEstablished = ProcStats.tcp(ports).established();

    Map<String, Set<String>> graph = new HashMap<>();
    long degreeSum = 0;
    long degreeMax = 0;
    for (NodeView v : views) {
      graph.put(v.name(), v.neighbours());
      degreeSum += v.neighbours().size();
      degreeMax = Math.max(degreeMax, v.neighbours().size());
    }
    result.neighboursMean = (double) degreeSum / views.size();
    result.neighboursMax = degreeMax;
    long asymmetric = 0;
    UnionFind uf = new UnionFind(views.stream().map(NodeView::name).toList());
    for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
      for (String peer : e.getValue()) {
        Set<String> back = graph.get(peer);
        if (back == null || !back.contains(e.getKey())) {
          asymmetric++;
        }
        if (back != null) {
          uf.union(e.getKey(), peer);
        }
      }
    }
    result.asymmetricLinks = asymmetric;
    result.components = uf.components();
  }

  /** Live connections per node: {total, max, min}. */
  static long[] sockets(List<NodeView> views) {
    long total = 0;
    long max = 0;
    long min = Long.MAX_VALUE;
    for (NodeView v : views) {
      total += v.sockets();
      max = Math.max(max, v.sockets());
      min = Math.min(min, v.sockets());
    }
    return new long[] {total, max, min};
  }

  /**
   * Messages written to a connection but never decoded at the other end, per channel: the sums of
   * the lanes' sent and received counters over every node of the step must match once nothing is in
   * flight. Heartbeats keep a handful in flight at any moment.
   */
  static void transit(EndCounts end, StepResult result) {
    result.membershipSent = end.membershipSent();
    result.membershipUnreceived = end.membershipSent() - end.membershipReceived();
    result.defaultSent = end.defaultSent();
    result.defaultUnreceived = end.defaultSent() - end.defaultReceived();
    result.queuedAtEnd = end.queued();
    result.peakQueued = Math.max(result.peakQueued, end.queued());
  }
}
