package dev.partisan.ring;

/**
 * Parameters of claim.
 *
 * @param targetNVal claim tries to put any {@code targetNVal} consecutive partitions on distinct
 *     nodes, so that preference lists of up to that length never hold two replicas on one node. Set
 *     it to the largest n_val any bucket will use (riak's {@code target_n_val}).
 */
public record ClaimOptions(int targetNVal) {
  public static final int DEFAULT_TARGET_N_VAL = 4;

  public static final ClaimOptions DEFAULT = new ClaimOptions(DEFAULT_TARGET_N_VAL);

  public ClaimOptions {
    if (targetNVal < 1) {
      throw new IllegalArgumentException("target_n_val must be at least 1, got " + targetNVal);
    }
  }
}
