package dev.partisan.bench.handoff;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.KvNode;
import dev.partisan.ring.MemberStatus;
import dev.partisan.ring.RingState;
import java.time.Instant;
import java.util.Set;

/**
 * What a run reads of one node at one moment: its view of the cluster, its handoff and its
 * anti-entropy. Taken in the node's JVM ({@link #of}) and, for a node in another process, carried
 * as JSON ({@link NodeControl}). Immutable.
 *
 * @param upMembers members its overlay sees up (itself included)
 * @param ringMembers members of its ring
 * @param allValid whether every ring member is valid (none joining or leaving)
 * @param ringTransfers ownership transfers its ring still has pending
 * @param nodeTransfers transfers it still runs or waits to run
 * @param clientProps whether it has the client bucket's properties (allow_mult=false)
 * @param treesOwned partitions it owns
 * @param treesBuilt of those, how many have anti-entropy trees built
 * @param treesBuiltSince partitions whose trees were (re)built since the given instant
 * @param bytesSent handoff bytes it sent
 * @param objectsSent handoff objects it sent
 * @param transfersCompleted transfers it completed
 * @param exchanges anti-entropy exchanges it completed
 * @param keysRepaired keys its exchanges repaired
 */
record NodeState(
    int upMembers,
    int ringMembers,
    boolean allValid,
    int ringTransfers,
    int nodeTransfers,
    boolean clientProps,
    int treesOwned,
    int treesBuilt,
    int treesBuiltSince,
    long bytesSent,
    long objectsSent,
    long transfersCompleted,
    long exchanges,
    long keysRepaired) {

  /** Node {@code n}'s state now; trees built since {@code since} are counted. */
  static NodeState of(KvNode n, Instant since) {
    RingState ring = n.ring().ring();
    String self = n.runtime().self().name();
    Set<Integer> mine = Set.copyOf(ring.partitionsOwnedBy(self));
    AaeStatus aae = n.aaeStatus();
    int built = 0;
    int builtSince = 0;
    for (AaeStatus.Partition p : aae.partitions()) {
      if (p.treesBuilt() && mine.contains(p.partition())) {
        built++;
      }
      if (p.treesBuiltAt() != null && !p.treesBuiltAt().isBefore(since)) {
        builtSince++;
      }
    }
    HandoffStatus h = n.handoffStatus();
    return new NodeState(
        n.runtime().overlay().upMembers().size(),
        ring.members().size(),
        ring.members().values().stream().allMatch(s -> s == MemberStatus.VALID),
        ring.transfers().size(),
        n.transfers().size(),
        !n.bucketProps(FixedRateLoad.key(0)).allowMult(),
        mine.size(),
        built,
        builtSince,
        h.bytesSent(),
        h.objectsSent(),
        h.completed(),
        aae.exchanges(),
        aae.keysRepaired());
  }

  /** Whether the node sees a cluster of {@code nodes} with nothing left to move. */
  boolean settled(int nodes) {
    return settled(ringMembers, allValid, ringTransfers, nodeTransfers, nodes);
  }

  /**
   * Whether node {@code n} is {@linkplain #settled(int) settled} now, reading only its ring and its
   * transfers: what a run polls while it waits for a handoff, so the wait does not walk the node's
   * anti-entropy partitions (or carry a whole state across processes) ten times a second.
   */
  static boolean settledNow(KvNode n, int nodes) {
    RingState ring = n.ring().ring();
    return settled(
        ring.members().size(),
        ring.members().values().stream().allMatch(s -> s == MemberStatus.VALID),
        ring.transfers().size(),
        n.transfers().size(),
        nodes);
  }

  private static boolean settled(
      int ringMembers, boolean allValid, int ringTransfers, int nodeTransfers, int nodes) {
    return ringTransfers == 0 && ringMembers == nodes && allValid && nodeTransfers == 0;
  }

  /** For a summary of many nodes: the states' sums where a sum means something. */
  static NodeState sum(Iterable<NodeState> states) {
    int owned = 0;
    int built = 0;
    int builtSince = 0;
    long bytes = 0;
    long objects = 0;
    long completed = 0;
    long exchanges = 0;
    long repaired = 0;
    for (NodeState s : states) {
      owned += s.treesOwned;
      built += s.treesBuilt;
      builtSince += s.treesBuiltSince;
      bytes += s.bytesSent;
      objects += s.objectsSent;
      completed += s.transfersCompleted;
      exchanges += s.exchanges;
      repaired += s.keysRepaired;
    }
    return new NodeState(
        0,
        0,
        true,
        0,
        0,
        true,
        owned,
        built,
        builtSince,
        bytes,
        objects,
        completed,
        exchanges,
        repaired);
  }
}
