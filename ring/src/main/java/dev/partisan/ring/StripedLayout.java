package dev.partisan.ring;

import java.util.Arrays;

/**
 * Builds a balanced ring from scratch that keeps {@code targetNVal} spacing whenever {@link
 * Spacing#feasible} says it can be kept; claim falls back to it when moving only the partitions a
 * change forces cannot keep the spacing.
 *
 * <p>With {@code t} owning nodes and {@code c = ceil(Q / t)}, {@code big = Q - t(c - 1)} nodes own
 * {@code c} partitions and the other {@code small} own {@code c - 1}. The ring is {@code c} rounds;
 * each round lists every big node in a fixed order, then the next few entries of one endless stripe
 * cycling through the small nodes. The {@code small(c - 1)} stripe entries are spread over the
 * rounds as evenly as possible. Why it works:
 *
 * <ul>
 *   <li>A big node recurs after exactly one round, whose length is {@code big + k} with {@code k >=
 *       floor(small(c - 1) / c)}; that is at least {@code targetNVal} exactly when {@code c *
 *       targetNVal <= Q}.
 *   <li>A small node recurs {@code small} stripe entries later. No round holds more than {@code
 *       small} stripe entries, so a round boundary, and all {@code big} big nodes with it, lies in
 *       between: the gap is at least {@code small + big = t >= targetNVal}.
 *   <li>The stripe length {@code small(c - 1)} is a multiple of {@code small}, so the pattern
 *       closes up cleanly where the ring wraps.
 * </ul>
 *
 * <p>The pattern is over abstract labels. To move as little as possible, every rotation is tried
 * and labels are matched greedily to the nodes that already own the most of each label's
 * partitions.
 */
final class StripedLayout {
  private StripedLayout() {}

  /**
   * The label pattern: entry {@code p} is the label (0-based) owning partition {@code p}. Labels
   * {@code 0..big-1} own {@code c} partitions, the rest {@code c - 1}.
   */
  static int[] pattern(int ringSize, int nodes) {
    int t = Math.min(nodes, ringSize);
    int c = (ringSize + t - 1) / t;
    int big = ringSize - t * (c - 1);
    int small = t - big;
    long stripeTotal = (long) small * (c - 1);
    int[] out = new int[ringSize];
    int at = 0;
    int stripe = 0;
    for (int round = 0; round < c; round++) {
      for (int b = 0; b < big; b++) {
        out[at++] = b;
      }
      int k = (int) ((round + 1) * stripeTotal / c - round * stripeTotal / c);
      for (int i = 0; i < k; i++) {
        out[at++] = big + (stripe++ % small);
      }
    }
    if (at != ringSize) {
      throw new AssertionError("pattern filled " + at + " of " + ringSize);
    }
    return out;
  }

  /**
   * A full layout over node indices {@code 0..nodes-1}, matched to {@code current} (node index per
   * partition, -1 for partitions whose owner is not among the nodes) so that as many partitions as
   * possible keep their owner. {@code preference} lists node indices best-first for labels no
   * current owner claims.
   */
  static int[] layout(int ringSize, int nodes, int[] current, int[] preference) {
    int[] pattern = pattern(ringSize, nodes);
    int labels = Math.min(nodes, ringSize);
    int[] bestMatch = null;
    int bestRotation = 0;
    long bestScore = -1;
    long[] keys = new long[ringSize];
    for (int rotation = 0; rotation < ringSize; rotation++) {
      int[] match = new int[labels];
      long score = match(pattern, rotation, current, nodes, keys, match);
      if (score > bestScore) {
        bestScore = score;
        bestRotation = rotation;
        bestMatch = match;
      }
    }
    boolean[] used = new boolean[nodes];
    for (int label = 0; label < labels; label++) {
      if (bestMatch[label] >= 0) {
        used[bestMatch[label]] = true;
      }
    }
    int next = 0;
    for (int label = 0; label < labels; label++) {
      if (bestMatch[label] < 0) {
        while (used[preference[next]]) {
          next++;
        }
        bestMatch[label] = preference[next];
        used[preference[next]] = true;
      }
    }
    int[] out = new int[ringSize];
    for (int p = 0; p < ringSize; p++) {
      out[p] = bestMatch[pattern[(p + bestRotation) % ringSize]];
    }
    return out;
  }

  // Greedy maximum-overlap matching of labels to nodes for one rotation; fills match (-1 for
  // labels left unmatched) and returns the number of partitions that keep their owner.
  private static long match(
      int[] pattern, int rotation, int[] current, int nodes, long[] keys, int[] match) {
    int q = pattern.length;
    int n = 0;
    for (int p = 0; p < q; p++) {
      if (current[p] >= 0) {
        keys[n++] = ((long) pattern[(p + rotation) % q] << 32) | current[p];
      }
    }
    Arrays.sort(keys, 0, n);
    // Pack (count, label, node) so one descending sort orders candidate pairs by overlap, then by
    // label and node for determinism.
    long[] pairs = new long[n];
    int m = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && keys[j] == keys[i]) {
        j++;
      }
      long label = keys[i] >>> 32;
      long node = keys[i] & 0xFFFFFFFFL;
      pairs[m++] = ((long) (j - i) << 42) | ((1023 - label) << 32) | (0xFFFFFFFFL - node);
      i = j;
    }
    Arrays.sort(pairs, 0, m);
    Arrays.fill(match, -1);
    boolean[] nodeUsed = new boolean[nodes];
    long score = 0;
    for (int i = m - 1; i >= 0; i--) {
      int count = (int) (pairs[i] >>> 42);
      int label = 1023 - (int) ((pairs[i] >>> 32) & 0x3FF);
      int node = (int) (0xFFFFFFFFL - (pairs[i] & 0xFFFFFFFFL));
      if (match[label] < 0 && !nodeUsed[node]) {
        match[label] = node;
        nodeUsed[node] = true;
        score += count;
      }
    }
    return score;
  }
}
