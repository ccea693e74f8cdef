package dev.partisan.ring;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What committing a set of staged changes will do, for an operator to review first ({@code
 * riak-admin cluster plan}). Produced by {@link Claimant#plan} and applied by {@link
 * Claimant#commit}, which refuses it if the ring has changed since.
 *
 * @param baseVersion version of the ring the plan was computed against
 * @param baseStructureDigest {@link RingState#structureDigest} of that ring
 * @param changes the staged changes, ordered by node
 * @param members members and their status right after the commit
 * @param claimant the claimant after the commit
 * @param ownersAfterCommit owners right after the commit: unchanged except partitions of removed
 *     nodes, which are reassigned at once since there is nobody to hand them off
 * @param futureOwners owners once every transfer has completed
 * @param transfers the pending transfers after the commit (kept ones keep their progress)
 * @param moved partitions whose eventual owner differs from the base ring's eventual owner
 * @param minimumMoves the fewest moves the change could need (see {@link ClaimResult})
 * @param rebalanced true if keeping spacing needed more than the minimum
 * @param warnings things the operator should know, e.g. that spacing cannot hold
 */
public record ClusterPlan(
    long baseVersion,
    String baseStructureDigest,
    List<ClusterChange> changes,
    SortedMap<String, MemberStatus> members,
    String claimant,
    List<String> ownersAfterCommit,
    List<String> futureOwners,
    List<Transfer> transfers,
    int moved,
    int minimumMoves,
    boolean rebalanced,
    List<String> warnings) {

  public ClusterPlan {
    changes = List.copyOf(changes);
    members = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members));
    ownersAfterCommit = List.copyOf(ownersAfterCommit);
    futureOwners = List.copyOf(futureOwners);
    transfers = List.copyOf(transfers);
    warnings = List.copyOf(warnings);
  }

  /** Transfers whose data leaves {@code node}. */
  public List<Transfer> transfersFrom(String node) {
    return transfers.stream().filter(t -> t.from().equals(node)).toList();
  }

  /** Transfers whose data arrives at {@code node}. */
  public List<Transfer> transfersTo(String node) {
    return transfers.stream().filter(t -> t.to().equals(node)).toList();
  }

  /** Number of transfers per (from, to) pair: the "transfers per node" an operator reviews. */
  public SortedMap<String, SortedMap<String, Integer>> transferCounts() {
    SortedMap<String, SortedMap<String, Integer>> out = new TreeMap<>();
    for (Transfer t : transfers) {
      out.computeIfAbsent(t.from(), k -> new TreeMap<>()).merge(t.to(), 1, Integer::sum);
    }
    return out;
  }

  /** Partition counts per member once transfers complete (members owning nothing show 0). */
  public SortedMap<String, Integer> futureOwnership() {
    SortedMap<String, Integer> out = new TreeMap<>();
    members.keySet().forEach(m -> out.put(m, 0));
    for (String o : futureOwners) {
      out.merge(o, 1, Integer::sum);
    }
    return out;
  }

  /** A plain-text rendering in the spirit of {@code riak-admin cluster plan}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("Planned against ring version ").append(baseVersion).append('\n');
    b.append("Staged changes:\n");
    if (changes.isEmpty()) {
      b.append("  (none)\n");
    }
    for (ClusterChange c : changes) {
      String action = c.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      b.append(String.format(Locale.ROOT, "  %-7s %s%n", action, c.node()));
    }
    b.append("Members after commit:\n");
    Map<String, Integer> owned = futureOwnership();
    int q = futureOwners.size();
    members.forEach(
        (m, s) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "  %-8s %5.1f%% (%d partitions)  %s%n",
                    s.name().toLowerCase(Locale.ROOT),
                    100.0 * owned.get(m) / q,
                    owned.get(m),
                    m)));
    b.append("Transfers resulting from cluster changes: ").append(transfers.size()).append('\n');
    transferCounts()
        .forEach(
            (from, tos) ->
                tos.forEach(
                    (to, n) ->
                        b.append(
                            String.format(
                                Locale.ROOT, "  %d transfers from %s to %s%n", n, from, to))));
    for (String w : warnings) {
      b.append("WARNING: ").append(w).append('\n');
    }
    return b.toString();
  }
}
