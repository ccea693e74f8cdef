package dev.partisan.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which node each node of a step joins through, as operators form a real cluster: a few seed nodes
 * first, then every other node given one of those seeds. Nodes 0..K-1 are the contacts; in the
 * first wave nodes 1..K-1 join through node 0, in the second every node from K on joins through a
 * contact drawn for it from the seed. The contacts have thus all joined before anyone joins through
 * them, and the joiners (and the contacts' connections to them) are spread over K nodes, which sit
 * in different processes (node i runs in child i mod P). K = 1 is every node through node 0.
 *
 * <p>A pure function of (n, contacts, seed), so the parent and every child agree on it without
 * being told more than these three numbers. Immutable.
 *
 * @param n nodes in the step
 * @param contacts K, the nodes 0..K-1 others join through (1..n)
 * @param seed the draw of each joiner's contact
 */
record JoinPlan(int n, int contacts, long seed) {
  /** The wave of nodes 1..K-1, which join through node 0. */
  static final int CONTACTS_WAVE = 1;

  /** The wave of every other node, each through one of the K contacts. */
  static final int OTHERS_WAVE = 2;

  JoinPlan {
    if (n < 1 || contacts < 1 || contacts > n) {
      throw new IllegalArgumentException("join plan: " + contacts + " contacts of " + n + " nodes");
    }
  }

  /** The plan for {@code n} nodes with {@code requested} contacts, capped at n (at least 1). */
  static JoinPlan of(int n, int requested, long seed) {
    return new JoinPlan(n, Math.max(1, Math.min(requested, n)), seed);
  }

  /**
   * The plan of a step of {@code overlay}: client-server's contacts are servers only (at most
   * {@code servers}), as a client links to servers only and an operator gives a new node a server.
   */
  static JoinPlan forStep(String overlay, int n, int servers, int requested, long seed) {
    int cap = overlay.equals("client-server") ? Math.max(1, servers) : n;
    return of(n, Math.min(requested, cap), seed);
  }

  /** The waves that have joiners, in the order they run. */
  List<Integer> waves() {
    return contacts > 1 ? List.of(CONTACTS_WAVE, OTHERS_WAVE) : List.of(OTHERS_WAVE);
  }

  /** The wave node {@code node} joins in; 0 for node 0, which joins nobody. */
  int waveOf(int node) {
    check(node);
    if (node == 0) {
      return 0;
    }
    return node < contacts ? CONTACTS_WAVE : OTHERS_WAVE;
  }

  /** The node {@code node} joins through; -1 for node 0. */
  int contactOf(int node) {
    check(node);
    if (node == 0) {
      return -1;
    }
    if (node < contacts) {
      return 0;
    }
    // One draw per node from (seed, node) alone: every process computes the same contact.
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + node).nextInt(contacts);
  }

  /** The nodes of {@code among} that join in {@code wave}, in the order given. */
  List<Integer> joinersIn(int wave, List<Integer> among) {
    List<Integer> joiners = new ArrayList<>();
    for (int node : among) {
      if (waveOf(node) == wave) {
        joiners.add(node);
      }
    }
    return joiners;
  }

  /** How many nodes join through each contact, by contact (index = contact node). */
  int[] joinersPerContact() {
    int[] load = new int[contacts];
    for (int node = 1; node < n; node++) {
      load[contactOf(node)]++;
    }
    return load;
  }

  /**
   * The most joiners whose contacts are in one process of {@code processes} (node i in process i
   * mod P): the connections from contacts to joiners that process holds during the join phase.
   */
  long joinersOfBusiestProcess(int processes) {
    int[] load = joinersPerContact();
    long[] perProcess = new long[processes];
    for (int c = 0; c < contacts; c++) {
      perProcess[NodeSplit.owner(c, processes)] += load[c];
    }
    long max = 0;
    for (long p : perProcess) {
      max = Math.max(max, p);
    }
    return max;
  }

  private void check(int node) {
    if (node < 0 || node >= n) {
      throw new IllegalArgumentException("node " + node + " of " + n);
    }
  }
}
