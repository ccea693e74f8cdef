package dev.partisan.kv.aae;

import dev.partisan.kv.BKey;
import java.util.concurrent.CompletableFuture;

/**
 * Repairs one key that an exchange found different: the node's coordinators read all {@code n}
 * replicas and read repair writes the merge to those missing it or holding an older version (see
 * {@code Coordination.repairRead}). Given to the manager by the node, so anti-entropy does not
 * depend on the coordinators' package.
 */
@FunctionalInterface
public interface KeyRepair {
  /** Completes (either way) once the repair read is done. */
  CompletableFuture<?> repair(BKey key, int n);
}
