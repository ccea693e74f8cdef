package dev.partisan.ring;

import java.util.List;

/**
 * The outcome of {@link ClaimAlgorithm#claim}.
 *
 * @param owners the new owner of each partition
 * @param moved how many partitions changed owner
 * @param minimumMoves how many had to: partitions of nodes that stopped claiming plus the surplus
 *     of nodes above their new share. {@code moved == minimumMoves} unless {@code rebalanced}.
 * @param rebalanced true if keeping {@code target_n_val} spacing needed moves beyond the minimum
 * @param spacingViolations windows of {@code target_n_val} consecutive partitions that repeat a
 *     node (0 whenever spacing is feasible)
 * @param warnings human-readable notes for the plan, as {@code riak-admin cluster plan} prints
 */
public record ClaimResult(
    List<String> owners,
    int moved,
    int minimumMoves,
    boolean rebalanced,
    int spacingViolations,
    List<String> warnings) {
  public ClaimResult {
    owners = List.copyOf(owners);
    warnings = List.copyOf(warnings);
  }

  public boolean spacingMet() {
    return spacingViolations == 0;
  }
}
