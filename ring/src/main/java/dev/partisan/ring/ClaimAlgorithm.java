package dev.partisan.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decides which node owns which partition. Guarantees, in priority order:
 *
 * <ol>
 *   <li><b>Balance</b>, always: every claiming node owns {@code floor(Q/t)} or {@code ceil(Q/t)} of
 *       the Q partitions (t = claiming nodes; if t > Q, Q of them own one each).
 *   <li><b>Spacing</b> whenever {@link Spacing#feasible} holds: any {@code target_n_val}
 *       consecutive partitions are on distinct nodes. When it cannot hold (too few nodes, or a ring
 *       size that does not divide well) the result says so in {@link ClaimResult#warnings}.
 *   <li><b>Minimal movement</b> where spacing allows: only partitions of departing nodes and the
 *       surplus of nodes above their new share move, so a join moves only what the joiner takes and
 *       a leave only what the leaver gives up. If no such assignment keeps the spacing (for example
 *       on reaching {@code target_n_val} nodes), claim rebalances to a striped layout matched to
 *       the current owners, and flags it.
 * </ol>
 *
 * The result is a deterministic function of the inputs, so every node computing a plan agrees.
 */
public final class ClaimAlgorithm {
  private ClaimAlgorithm() {}

  /** A fresh ring for {@code members} with nothing to preserve. */
  public static ClaimResult fresh(int ringSize, Collection<String> members, ClaimOptions options) {
    List<String> none = new ArrayList<>();
    for (int p = 0; p < Keyspace.checkRingSize(ringSize); p++) {
      none.add(null);
    }
    return claim(none, members, options);
  }

  /**
   * New owners for a ring currently owned as {@code currentOwners} (entries may be null or name
   * nodes that are not in {@code members}; those partitions must move) when exactly {@code members}
   * claim partitions.
   */
  public static ClaimResult claim(
      List<String> currentOwners, Collection<String> members, ClaimOptions options) {
    int q = Keyspace.checkRingSize(currentOwners.size());
    List<String> nodes = new ArrayList<>(new TreeSet<>(members));
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("claim needs at least one member");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i), i);
    }
    int[] current = new int[q];
    int[] count = new int[nodes.size()];
    int orphans = 0;
    for (int p = 0; p < q; p++) {
      String owner = currentOwners.get(p);
      Integer i = owner == null ? null : index.get(owner);
      current[p] = i == null ? -1 : i;
      if (i == null) {
        orphans++;
      } else {
        count[i]++;
      }
    }
    Integer[] byCurrent = new Integer[nodes.size()];
    for (int i = 0; i < byCurrent.length; i++) {
      byCurrent[i] = i;
    }
    // Who gets the extra partitions of an uneven split: whoever already holds most, so that as
    // little as possible moves; names break ties deterministically.
    Arrays.sort(byCurrent, Comparator.comparingInt((Integer i) -> -count[i]));
    int[] preference = Arrays.stream(byCurrent).mapToInt(Integer::intValue).toArray();
    int[] target = targets(q, count, preference);
    int minimum = orphans;
    for (int i = 0; i < count.length; i++) {
      minimum += Math.max(0, count[i] - target[i]);
    }

    int tn = options.targetNVal();
    boolean feasible = Spacing.feasible(q, nodes.size(), tn);
    int[] result = null;
    boolean rebalanced = false;
    if (orphans < q) {
      result = MinimalMoveSearch.search(current, target, tn, feasible);
      if (result == null) {
        // Cheapest repair first: start from the minimal moves, then swap away what breaks spacing.
        int[] repaired = MinimalMoveSearch.search(current, target, tn, false);
        if (repaired != null && SpacingRepair.repair(repaired, current, tn)) {
          result = repaired;
        }
        rebalanced = true;
      }
    }
    if (result == null || (rebalanced && moves(result, current) > q / 2)) {
      int[] striped = StripedLayout.layout(q, nodes.size(), current, preference);
      if (result == null || moves(striped, current) < moves(result, current)) {
        result = striped;
      }
      rebalanced = orphans < q;
    }
    if (feasible && (rebalanced || orphans == q)) {
      // Partitions that move anyway can be shuffled for free; see SpacingRepair.mix.
      boolean[] free = new boolean[q];
      for (int p = 0; p < q; p++) {
        free[p] = result[p] != current[p];
      }
      SpacingRepair.mix(result, free, tn, seed(q, nodes));
    }

    List<String> owners = new ArrayList<>(q);
    int moved = 0;
    for (int p = 0; p < q; p++) {
      owners.add(nodes.get(result[p]));
      if (result[p] != current[p]) {
        moved++;
      }
    }
    int violations = Spacing.violations(owners, tn);
    List<String> warnings = new ArrayList<>();
    if (!feasible) {
      warnings.add(infeasibleWarning(q, nodes.size(), tn, violations));
    } else if (violations > 0) {
      warnings.add(
          "claim could not keep target_n_val "
              + tn
              + " spacing: "
              + violations
              + " windows repeat a node");
    }
    if (rebalanced && moved > minimum) {
      warnings.add(
          "keeping target_n_val "
              + tn
              + " spacing needs a rebalance: "
              + moved
              + " partitions move where the change alone would move "
              + minimum);
    }
    return new ClaimResult(
        owners, moved, minimum, rebalanced && moved > minimum, violations, warnings);
  }

  private static long seed(int q, List<String> nodes) {
    return 31L * q + nodes.hashCode();
  }

  private static int moves(int[] next, int[] current) {
    int moved = 0;
    for (int p = 0; p < next.length; p++) {
      if (next[p] != current[p]) {
        moved++;
      }
    }
    return moved;
  }

  // Balanced counts: everyone gets floor(Q/t); the first Q mod t nodes in preference order get one
  // more.
  private static int[] targets(int q, int[] count, int[] preference) {
    int t = count.length;
    int[] target = new int[t];
    for (int rank = 0; rank < t; rank++) {
      target[preference[rank]] = q / t + (rank < q % t ? 1 : 0);
    }
    return target;
  }

  private static String infeasibleWarning(int q, int nodes, int tn, int violations) {
    String why =
        Math.min(nodes, q) < tn
            ? "only " + nodes + " node(s) claim partitions but target_n_val is " + tn
            : "a balanced ring of "
                + q
                + " partitions over "
                + nodes
                + " nodes cannot keep target_n_val "
                + tn
                + " spacing";
    return why
        + ": not all replicas will be on distinct nodes ("
        + violations
        + " of "
        + q
        + " windows of "
        + Math.min(tn, q)
        + " consecutive partitions repeat a node)";
  }
}
