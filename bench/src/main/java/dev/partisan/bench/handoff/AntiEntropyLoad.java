package dev.partisan.bench.handoff;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.KvNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Anti-entropy as a background load of a run ({@code --aae}): whether the seeded nodes' trees are
 * built, and what anti-entropy did on all nodes during a phase, from their {@link AaeStatus}. Used
 * on the command's thread; the nodes' statuses are safe to read from any thread.
 */
final class AntiEntropyLoad {
  /**
   * What anti-entropy did on all nodes during a phase.
   *
   * @param exchanges tree exchanges completed
   * @param keysRepaired keys the exchanges found different and repaired
   * @param treesBuilt partitions whose trees were (re)built from their backend
   */
  record Activity(long exchanges, long keysRepaired, int treesBuilt) {
    @Override
    public String toString() {
      return exchanges
          + " exchanges, "
          + keysRepaired
          + " keys repaired, "
          + treesBuilt
          + " trees built";
    }
  }

  private final List<KvNode> nodes;
  private long exchangesAtMark;
  private long repairedAtMark;
  private Instant mark = Instant.now();

  AntiEntropyLoad(List<KvNode> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Partitions the nodes own, and how many of those have their trees built. */
  record Trees(int built, int owned) {
    boolean all() {
      return built == owned;
    }

    @Override
    public String toString() {
      return built + " of " + owned + " partitions built";
    }
  }

  /** How many partitions each of {@code seeded} owns in its ring, and of those have trees. */
  static Trees trees(List<KvNode> seeded) {
    int built = 0;
    int owned = 0;
    for (KvNode n : seeded) {
      String self = n.runtime().self().name();
      Set<Integer> mine = Set.copyOf(n.ring().ring().partitionsOwnedBy(self));
      Set<Integer> ready =
          n.aaeStatus().partitions().stream()
              .filter(p -> p.treesBuilt() && mine.contains(p.partition()))
              .map(AaeStatus.Partition::partition)
              .collect(Collectors.toSet());
      built += ready.size();
      owned += mine.size();
    }
    return new Trees(built, owned);
  }

  /** Starts a phase: what anti-entropy does from now on is the phase's. */
  void mark() {
    exchangesAtMark = 0;
    repairedAtMark = 0;
    for (KvNode n : nodes) {
      AaeStatus s = n.aaeStatus();
      exchangesAtMark += s.exchanges();
      repairedAtMark += s.keysRepaired();
    }
    mark = Instant.now();
  }

  /** What anti-entropy did since {@link #mark()}. */
  Activity sinceMark() {
    long exchanges = 0;
    long repaired = 0;
    int built = 0;
    for (KvNode n : nodes) {
      AaeStatus s = n.aaeStatus();
      exchanges += s.exchanges();
      repaired += s.keysRepaired();
      for (AaeStatus.Partition p : s.partitions()) {
        if (p.treesBuiltAt() != null && !p.treesBuiltAt().isBefore(mark)) {
          built++;
        }
      }
    }
    return new Activity(exchanges - exchangesAtMark, repaired - repairedAtMark, built);
  }
}
