package dev.partisan.kv.backend;

import org.rocksdb.Env;
import org.rocksdb.Priority;

/**
 * RocksDB's background threads (flushes in its high-priority pool, compactions in its low one) run
 * at the lowest CPU priority the OS has. Most of their work on a node that takes part in a handoff
 * comes from the handoff's writes, and on a machine with few cores a compaction that holds a core
 * delays every request's thread that becomes runnable meanwhile. Lowered, they still get every idle
 * cycle, and a request gets a core first. Under a write load that keeps the CPU busy, compactions
 * then fall behind, and RocksDB's own write stalls slow the writers down: the backpressure lands on
 * writes, not on reads.
 *
 * <p>The pools belong to RocksDB's default environment and are shared by every database in the
 * process; a nice value can only be raised without privilege, so this is done once and never
 * undone. Threading: called from {@link RocksDbBackend}'s class initialisation only.
 */
final class RocksDbThreads {
  private RocksDbThreads() {}

  static void lowerBackgroundPriority() {
    Env env = Env.getDefault();
    env.lowerThreadPoolCPUPriority(Priority.HIGH);
    env.lowerThreadPoolCPUPriority(Priority.LOW);
  }
}
