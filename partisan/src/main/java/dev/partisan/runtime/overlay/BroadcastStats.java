package dev.partisan.runtime.overlay;

/**
 * Messages a node's overlay sent to spread membership news and broadcasts, since it started.
 *
 * @param eager payload copies: Plumtree eager pushes (and grafted resends) on HyParView, flooded
 *     deltas and broadcasts on the other overlays
 * @param lazy IHAVE messages (each announces a batch of ids); HyParView only
 * @param graft GRAFT messages (each asks one peer for one or more missing ids); HyParView only
 * @param prune PRUNE messages (each answers a duplicate); HyParView only
 */
public record BroadcastStats(long eager, long lazy, long graft, long prune) {
  public static final BroadcastStats ZERO = new BroadcastStats(0, 0, 0, 0);

  /** What was sent between {@code earlier} and this snapshot. */
  public BroadcastStats minus(BroadcastStats earlier) {
    return new BroadcastStats(
        eager - earlier.eager, lazy - earlier.lazy, graft - earlier.graft, prune - earlier.prune);
  }

  /** The sum of two nodes' counts. */
  public BroadcastStats plus(BroadcastStats other) {
    return new BroadcastStats(
        eager + other.eager, lazy + other.lazy, graft + other.graft, prune + other.prune);
  }
}
