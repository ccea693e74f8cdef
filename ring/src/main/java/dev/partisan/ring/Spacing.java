package dev.partisan.ring;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on how owners are spread round the ring; shared by claim, plans and tests. */
public final class Spacing {
  private Spacing() {}

  /**
   * Whether a balanced ring of {@code ringSize} partitions over {@code nodes} nodes can have every
   * {@code targetNVal} consecutive partitions on distinct nodes.
   *
   * <p>A node that owns {@code c} partitions needs {@code c * targetNVal} slots to keep its own
   * partitions that far apart, and under balance some node owns {@code ceil(Q / nodes)}; so that
   * product must fit in Q. {@link ClaimAlgorithm} constructs such a ring whenever it does, so the
   * condition is also sufficient.
   */
  public static boolean feasible(int ringSize, int nodes, int targetNVal) {
    if (targetNVal <= 1) {
      return true;
    }
    int owning = Math.min(nodes, ringSize);
    if (owning < targetNVal) {
      return false;
    }
    long perNode = (ringSize + owning - 1) / owning;
    return perNode * targetNVal <= ringSize;
  }

  /**
   * The number of windows of {@code targetNVal} consecutive partitions (one starting at each
   * partition, wrapping) that hold some node twice. Zero means the spacing holds.
   */
  public static int violations(List<String> owners, int targetNVal) {
    int q = owners.size();
    int width = Math.min(targetNVal, q);
    int bad = 0;
    for (int start = 0; start < q; start++) {
      outer:
      for (int i = 0; i < width; i++) {
        String a = owners.get((start + i) % q);
        for (int j = i + 1; j < width; j++) {
          if (a.equals(owners.get((start + j) % q))) {
            bad++;
            break outer;
          }
        }
      }
    }
    return bad;
  }

  /** Partition counts per node (nodes that own nothing are absent). */
  public static Map<String, Integer> counts(List<String> owners) {
    Map<String, Integer> counts = new HashMap<>();
    for (String o : owners) {
      counts.merge(o, 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Whether every one of {@code nodes} owns {@code floor(Q / nodes)} or {@code ceil(Q / nodes)}
   * partitions and nobody else owns any.
   */
  public static boolean balanced(List<String> owners, Collection<String> nodes) {
    int q = owners.size();
    int lo = q / nodes.size();
    int hi = (q + nodes.size() - 1) / nodes.size();
    Map<String, Integer> counts = counts(owners);
    if (!nodes.containsAll(counts.keySet())) {
      return false;
    }
    for (String n : nodes) {
      int c = counts.getOrDefault(n, 0);
      if (c < lo || c > hi) {
        return false;
      }
    }
    return true;
  }
}
