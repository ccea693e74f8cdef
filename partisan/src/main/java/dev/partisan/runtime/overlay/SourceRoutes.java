package dev.partisan.runtime.overlay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paths this node learned to other members, from the trails of the routed envelopes that reached
 * it: the first copy of an envelope from X came by the fastest way, so its trail reversed is a way
 * back to X. A path is the list of hops before the destination (empty: X is a neighbour). Bounded:
 * the least recently used path is forgotten first.
 *
 * <p>Why paths and not next hops: a next-hop table is filled by whatever passes through each node,
 * so neighbouring tables drift apart, point at each other (a loop) or at nothing, and each such hop
 * falls back to a flood. A path taken from one envelope's trail is consistent end to end, and the
 * nodes on it only follow it.
 *
 * <p>Threading: any thread; each method holds this object's monitor for one map operation.
 */
final class SourceRoutes {
  private final Map<String, List<String>> paths;

  SourceRoutes(int capacity) {
    this.paths =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Learns the way back to the first node of {@code trail} (the envelope's origin, then every node
   * that passed it on, the last being the neighbour it came from).
   */
  void learn(List<String> trail) {
    if (trail.size() < 2) {
      return; // it came straight from its origin, a neighbour: nothing to remember
    }
    List<String> back = new ArrayList<>(trail.subList(1, trail.size()));
    java.util.Collections.reverse(back);
    synchronized (this) {
      paths.put(trail.getFirst(), List.copyOf(back));
    }
  }

  /** The path to {@code destination} if its first hop is still a neighbour, else null. */
  List<String> pathTo(String destination, Set<String> neighbours) {
    List<String> path;
    synchronized (this) {
      path = paths.get(destination);
    }
    return path != null && neighbours.contains(path.getFirst()) ? path : null;
  }

  /** Forgets the path to {@code destination} (it led nowhere). */
  synchronized void forget(String destination) {
    paths.remove(destination);
  }
}
