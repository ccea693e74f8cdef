package dev.partisan.ring;

/**
 * Removes spacing violations from a balanced assignment by swapping the owners of two partitions at
 * a time. A swap keeps every node's count, so balance survives. Each accepted swap strictly reduces
 * the number of same-node pairs within reach of each other, so the repair terminates; among
 * improving swaps it takes the one that adds the fewest moves relative to the original owners,
 * keeping the result close to the minimal-movement assignment it starts from. It can stop in a
 * local minimum, in which case claim falls back to a striped layout.
 */
final class SpacingRepair {
  private SpacingRepair() {}

  /**
   * Repairs {@code assignment} in place; returns true if no violations remain. {@code original}
   * holds the owners before the change (-1 where none), used to prefer cheap swaps.
   */
  static boolean repair(int[] assignment, int[] original, int targetNVal) {
    int q = assignment.length;
    int reach = Math.min(targetNVal, q) - 1;
    if (reach <= 0) {
      return true;
    }
    int[] a = assignment;
    boolean improved = true;
    while (improved) {
      improved = false;
      for (int p = 0; p < q; p++) {
        int here = clashes(a, p, a[p], -1, reach);
        if (here == 0) {
          continue;
        }
        int best = -1;
        int bestDelta = 0;
        int bestCost = Integer.MAX_VALUE;
        for (int x = 0; x < q; x++) {
          if (a[x] == a[p]) {
            continue;
          }
          int delta =
              clashes(a, p, a[x], x, reach)
                  + clashes(a, x, a[p], p, reach)
                  - here
                  - clashes(a, x, a[x], -1, reach);
          if (delta >= 0) {
            continue;
          }
          int cost = moveCost(a, original, p, x);
          if (delta < bestDelta || (delta == bestDelta && cost < bestCost)) {
            best = x;
            bestDelta = delta;
            bestCost = cost;
          }
        }
        if (best >= 0) {
          int t = a[p];
          a[p] = a[best];
          a[best] = t;
          improved = true;
        }
      }
    }
    for (int p = 0; p < q; p++) {
      if (clashes(a, p, a[p], -1, reach) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Shuffles a spaced assignment by random owner swaps that keep it spaced (and, being swaps,
   * balanced). A striped layout gives every node the same neighbours all round the ring; then when
   * a node leaves, the nodes next to it can take none of its partitions, and a leave cannot be
   * absorbed without moving other partitions too. Varied neighbourhoods let later leaves move only
   * the leaver's partitions. Only partitions marked {@code free} are touched, so callers can limit
   * mixing to partitions that move anyway. Deterministic for a given seed.
   */
  static void mix(int[] assignment, boolean[] free, int targetNVal, long seed) {
    int q = assignment.length;
    int reach = Math.min(targetNVal, q) - 1;
    int[] candidates = new int[q];
    int n = 0;
    for (int p = 0; p < q; p++) {
      if (free[p]) {
        candidates[n++] = p;
      }
    }
    if (n < 2) {
      return;
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int[] a = assignment;
    for (int attempt = 0; attempt < 8 * q; attempt++) {
      int p = candidates[random.nextInt(n)];
      int x = candidates[random.nextInt(n)];
      if (a[p] != a[x]
          && clashes(a, p, a[x], x, reach) == 0
          && clashes(a, x, a[p], p, reach) == 0) {
        int t = a[p];
        a[p] = a[x];
        a[x] = t;
      }
    }
  }

  // How many partitions within reach of {@code at} (other than {@code ignore}) belong to node.
  private static int clashes(int[] a, int at, int node, int ignore, int reach) {
    int q = a.length;
    int c = 0;
    for (int k = 1; k <= reach; k++) {
      int right = (at + k) % q;
      int left = (at - k + q) % q;
      if (right != ignore && a[right] == node) {
        c++;
      }
      if (left != ignore && a[left] == node) {
        c++;
      }
    }
    return c;
  }

  // Change in the number of partitions whose owner differs from the original.
  private static int moveCost(int[] a, int[] original, int p, int x) {
    int before = (a[p] != original[p] ? 1 : 0) + (a[x] != original[x] ? 1 : 0);
    int after = (a[x] != original[p] ? 1 : 0) + (a[p] != original[x] ? 1 : 0);
    return after - before;
  }
}
