package dev.partisan.kv;

import java.time.Instant;
import java.util.List;

/**
 * This node's active anti-entropy, for operators ({@link KvNode#aaeStatus}).
 *
 * @param enabled whether the node keeps hash trees and exchanges them
 * @param partitions one entry per partition with a running vnode, by partition
 * @param exchanges exchanges completed since the node started
 * @param keysRepaired keys found different and repaired since the node started
 * @param repairQueue keys waiting for their repair (the repair rate limit holds them back)
 */
public record AaeStatus(
    boolean enabled,
    List<Partition> partitions,
    long exchanges,
    long keysRepaired,
    int repairQueue) {

  public AaeStatus {
    partitions = List.copyOf(partitions);
  }

  /**
   * One partition's trees and exchanges.
   *
   * @param partition the partition index
   * @param owned whether this node owns it (only owners exchange)
   * @param treesBuilt whether its trees are built and trusted
   * @param treesBuiltAt when they were last built from the backend (null if never)
   * @param lastExchange when an exchange this node started for it last finished (null if never)
   * @param lastPartner the partition and node of that exchange, e.g. {@code 12@node3}
   * @param exchanges exchanges finished for it
   * @param keysRepaired keys its exchanges found different
   * @param lastError why the last exchange failed, or null
   */
  public record Partition(
      int partition,
      boolean owned,
      boolean treesBuilt,
      Instant treesBuiltAt,
      Instant lastExchange,
      String lastPartner,
      long exchanges,
      long keysRepaired,
      String lastError) {}
}
