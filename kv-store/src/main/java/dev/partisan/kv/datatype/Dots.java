package dev.partisan.kv.datatype;

import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.VersionVector;
import java.util.HashSet;
import java.util.Set;

/**
 * The join of dot sets under causal contexts, which every store in this package builds on: a dot
 * one side holds survives when the other side holds it too, or has never seen it. A dot the other
 * side has seen but no longer holds was removed there, and stays removed.
 */
final class Dots {
  private Dots() {}

  static Set<Dot> join(Set<Dot> a, VersionVector ca, Set<Dot> b, VersionVector cb) {
    Set<Dot> out = new HashSet<>();
    for (Dot d : a) {
      if (b.contains(d) || !cb.covers(d)) {
        out.add(d);
      }
    }
    for (Dot d : b) {
      if (!ca.covers(d)) {
        out.add(d);
      }
    }
    return Set.copyOf(out);
  }

  /** True when a dot one side holds survives the join with a side that holds {@code otherHas}. */
  static boolean survives(Dot d, boolean otherHas, VersionVector otherClock) {
    return otherHas || !otherClock.covers(d);
  }

  /** {@code dots} without those {@code context} has seen. */
  static Set<Dot> uncovered(Set<Dot> dots, VersionVector context) {
    Set<Dot> out = new HashSet<>();
    for (Dot d : dots) {
      if (!context.covers(d)) {
        out.add(d);
      }
    }
    return out.size() == dots.size() ? dots : Set.copyOf(out);
  }
}
