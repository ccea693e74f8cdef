package dev.partisan.runtime.sim;

import dev.partisan.runtime.overlay.OverlaySettings;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of the live nodes' neighbour graph (each node's {@code overlay.neighbours()}: the
 * active views on HyParView) and of their membership views.
 *
 * @param live nodes running and not leaving
 * @param components connected components of the undirected neighbour graph among live nodes
 * @param largest the largest component's size
 * @param deadNeighbours neighbour entries that name a node that is not live
 * @param minView smallest neighbour count of a live node
 * @param meanView mean neighbour count
 * @param fullViews live nodes whose view is full (HyParView: the active view size; others: all)
 * @param viewTarget the view size the overlay aims at (HyParView: its minimum), for convergence
 * @param partialViews whether the overlay keeps partial views that must drop dead neighbours
 *     (HyParView); full mesh and client-server keep monitoring down members, to see them return
 * @param membersAgree every live node's up members are exactly the live nodes
 */
public record Topology(
    int live,
    int components,
    int largest,
    long deadNeighbours,
    int minView,
    double meanView,
    int fullViews,
    int viewTarget,
    boolean partialViews,
    boolean membersAgree) {

  static Topology of(List<SimNode> live, List<SimNode> all, OverlaySettings settings) {
    int n = live.size();
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      index.put(live.get(i).self().name(), i);
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    long dead = 0;
    long total = 0;
    int minView = n == 0 ? 0 : Integer.MAX_VALUE;
    int full = 0;
    int fullSize =
        settings instanceof OverlaySettings.HyParView h
            ? Math.min(h.activeViewSize(), n - 1)
            : Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Set<String> neighbours = live.get(i).overlay().neighbours();
      int size = neighbours.size();
      total += size;
      minView = Math.min(minView, size);
      if (size >= fullSize) {
        full++;
      }
      for (String peer : neighbours) {
        Integer j = index.get(peer);
        if (j == null) {
          dead++;
        } else {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    int[] sizes = new int[n];
    int components = 0;
    int largest = 0;
    for (int i = 0; i < n; i++) {
      int root = find(parent, i);
      if (sizes[root]++ == 0) {
        components++;
      }
      largest = Math.max(largest, sizes[root]);
    }
    int target =
        settings instanceof OverlaySettings.HyParView h ? Math.min(h.activeViewMin(), n - 1) : 0;
    if (fullSize == Integer.MAX_VALUE) {
      full = n; // other overlays have no view size to fill
    }
    return new Topology(
        n,
        components,
        largest,
        dead,
        minView,
        n == 0 ? 0 : (double) total / n,
        full,
        target,
        settings instanceof OverlaySettings.HyParView,
        membersAgree(live, all));
  }

  /**
   * {ghosts, unseen}: distinct nodes that are not live but some live node counts as up, and live
   * nodes that some live node does not count as up. Asks {@code isUp} of every node ever started
   * (the only possible members), so no node builds a snapshot of its member set: O(n^2) lookups,
   * for the end of a run.
   */
  static int[] membershipGaps(List<SimNode> live, List<SimNode> all) {
    Set<String> ghosts = new HashSet<>();
    Set<String> unseen = new HashSet<>();
    for (SimNode n : live) {
      for (SimNode other : all) {
        String name = other.self().name();
        boolean up = n.overlay().isUp(name);
        if (other.live() && !up) {
          unseen.add(name);
        } else if (!other.live() && up) {
          ghosts.add(name);
        }
      }
    }
    return new int[] {ghosts.size(), unseen.size()};
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /**
   * Whether every live node counts exactly the live nodes as up: {@code isUp} of every node ever
   * started, stopping at the first disagreement (cheap while not converged; no snapshots built).
   */
  private static boolean membersAgree(List<SimNode> live, List<SimNode> all) {
    for (SimNode node : live) {
      for (SimNode other : all) {
        if (node.overlay().isUp(other.self().name()) != other.live()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The overlay's graph: one component holding every live node, no dead neighbour, views at target.
   */
  public boolean graphConverged() {
    return live > 0
        && components == 1
        && (deadNeighbours == 0 || !partialViews)
        && minView >= viewTarget;
  }

  /** The largest component as a fraction of the live nodes. */
  public double largestFraction() {
    return live == 0 ? 0 : (double) largest / live;
  }
}
