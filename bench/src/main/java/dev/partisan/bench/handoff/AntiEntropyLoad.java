package dev.partisan.bench.handoff;

import java.time.Instant;
import java.util.List;

/**
 * Anti-entropy as a background load of a run ({@code --aae}): whether the seeded nodes' trees are
 * built, and what anti-entropy did on all nodes during a phase, from their {@link NodeState}s. Used
 * on the command's thread.
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

  private final List<RunNode> nodes;
  private long exchangesAtMark;
  private long repairedAtMark;
  private Instant mark = Instant.now();

  AntiEntropyLoad(List<RunNode> nodes) {
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
  static Trees trees(List<RunNode> seeded) {
    NodeState sum = NodeState.sum(seeded.stream().map(n -> n.state(Instant.now())).toList());
    return new Trees(sum.treesBuilt(), sum.treesOwned());
  }

  /** Starts a phase: what anti-entropy does from now on is the phase's. */
  void mark() {
    Instant now = Instant.now();
    NodeState sum = sumSince(now);
    exchangesAtMark = sum.exchanges();
    repairedAtMark = sum.keysRepaired();
    mark = now;
  }

  /** What anti-entropy did since {@link #mark()}. */
  Activity sinceMark() {
    NodeState sum = sumSince(mark);
    return new Activity(
        sum.exchanges() - exchangesAtMark,
        sum.keysRepaired() - repairedAtMark,
        sum.treesBuiltSince());
  }

  private NodeState sumSince(Instant since) {
    return NodeState.sum(nodes.stream().map(n -> n.state(since)).toList());
  }
}
