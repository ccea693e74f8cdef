package dev.partisan.bench.scale;

import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a step's nodes hold, as the runtime counts it: connections per node, the neighbour graph's
 * shape, and the messages still in transit. Read from the step's thread; the counters it reads are
 * the runtime's own, safe to read from any thread.
 */
final class ConnectionCensus {
  private final List<PartisanRuntime> nodes;
  private final int n;
  private final Set<Integer> ports;
  private final StepResult result;

  ConnectionCensus(List<PartisanRuntime> nodes, int n, Set<Integer> ports, StepResult result) {
    this.nodes = nodes;
    this.n = n;
    this.ports = ports;
    this.result = result;
  }

  /** Connections per node as the runtime counts them, and the neighbour graph's shape. */
  void countConnections() {
    List<String> names = nodes.stream().map(x -> x.self().name()).toList();
    long[] sockets = socketsPerNode();
    result.socketsTotal = sockets[0];
    result.socketsMax = sockets[1];
    result.socketsMin = sockets[2];
    result.socketsMean = (double) sockets[0] / n;
    result.tcpEstablished = ProcStats.tcp(ports).established();

    Map<String, Set<String>> graph = new HashMap<>();
    long degreeSum = 0;
    long degreeMax = 0;
    for (PartisanRuntime node : nodes) {
      Set<String> nb = node.overlay().neighbours();
      graph.put(node.self().name(), nb);
      degreeSum += nb.size();
      degreeMax = Math.max(degreeMax, nb.size());
    }
    result.neighboursMean = (double) degreeSum / n;
    result.neighboursMax = degreeMax;
    long asymmetric = 0;
    UnionFind uf = new UnionFind(names);
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

  /** Live connections per node as the runtime counts them: {total, max, min}. */
  long[] socketsPerNode() {
    List<String> names = nodes.stream().map(x -> x.self().name()).toList();
    long total = 0;
    long max = 0;
    long min = Long.MAX_VALUE;
    for (PartisanRuntime node : nodes) {
      long sockets = 0;
      String self = node.self().name();
      for (String peer : names) {
        if (!peer.equals(self)) {
          sockets += node.transport().connectionCount(peer);
        }
      }
      total += sockets;
      max = Math.max(max, sockets);
      min = Math.min(min, sockets);
    }
    return new long[] {total, max, min};
  }

  /**
   * Messages written to a connection but never decoded at the other end, per channel: every sender
   * and receiver is in this JVM, so the sums of the lanes' sent and received counters must match
   * once nothing is in flight. Heartbeats keep a handful in flight at any moment.
   */
  void transit() {
    Map<String, long[]> byChannel = new java.util.TreeMap<>();
    long queued = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        long[] c = byChannel.computeIfAbsent(m.channel(), k -> new long[2]);
        c[0] += m.messagesSent();
        c[1] += m.messagesReceived();
        queued += m.queuedMessages();
      }
    }
    long[] membership = byChannel.getOrDefault(ChannelSpec.MEMBERSHIP, new long[2]);
    long[] dflt = byChannel.getOrDefault(ChannelSpec.DEFAULT, new long[2]);
    result.membershipSent = membership[0];
    result.membershipUnreceived = membership[0] - membership[1];
    result.defaultSent = dflt[0];
    result.defaultUnreceived = dflt[0] - dflt[1];
    result.queuedAtEnd = queued;
    result.peakQueued = Math.max(result.peakQueued, queued);
  }
}
