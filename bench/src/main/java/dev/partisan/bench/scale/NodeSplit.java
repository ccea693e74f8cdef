package dev.partisan.bench.scale;

import dev.partisan.runtime.overlay.OverlaySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * How a step's N nodes are spread over P processes, and the descriptors each process needs. Nodes
 * go round-robin (node i to process i mod P): every process gets N/P nodes (one more for the first
 * N mod P), and client-server's servers (nodes 0..S-1), which hold a connection to every client,
 * are spread evenly instead of all landing in the first process, as are the join contacts 0..K-1
 * ({@link JoinPlan}). Pure functions.
 */
final class NodeSplit {
  private NodeSplit() {}

  /** The process that hosts node {@code node}. */
  static int owner(int node, int processes) {
    return node % processes;
  }

  /** The position of node {@code node} among its process's nodes. */
  static int local(int node, int processes) {
    return node / processes;
  }

  /** The nodes process {@code process} hosts, ascending. */
  static List<Integer> nodesOf(int process, int processes, int n) {
    if (processes < 1 || process < 0 || process >= processes) {
      throw new IllegalArgumentException("process " + process + " of " + processes);
    }
    List<Integer> nodes = new ArrayList<>();
    for (int i = process; i < n; i += processes) {
      nodes.add(i);
    }
    return nodes;
  }

  /**
   * Connections a step opens (both ends together): full mesh one per pair; client-server server
   * pairs and client-server pairs; HyParView a generous active-view allowance plus a contact's
   * connection to every joiner; plus one default-channel connection per unicast pair.
   */
  static long connections(String overlay, int n, int servers, int pairs) {
    long conns =
        switch (overlay) {
          case "full-mesh" -> (long) n * (n - 1) / 2;
          case "client-server" ->
              (long) servers * (servers - 1) / 2 + (long) (n - servers) * servers;
          default -> (long) n * OverlaySettings.HyParView.defaults().activeViewSize() + n;
        };
    return conns + Math.min(pairs, (long) n * (n - 1) / 2);
  }

  /**
   * Descriptors the busiest of {@code processes} processes needs beyond what it holds at start: its
   * share of one listening socket per node and of the two ends of every connection (each end in the
   * process of its node), and for HyParView the contacts' connections to their joiners, held until
   * they idle out, in the processes of the contacts of {@code plan}. With one process this is every
   * node and both ends of every connection.
   */
  static long fdsPerProcess(
      String overlay, int n, int servers, int pairs, int processes, JoinPlan plan) {
    long ends = n + 2 * connections(overlay, n, servers, pairs);
    long share = (ends + processes - 1) / processes;
    return processes == 1 || !overlay.equals("hyparview")
        ? share
        : share + plan.joinersOfBusiestProcess(processes);
  }
}
