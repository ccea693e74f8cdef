package dev.partisan.bench.sim;

import java.lang.management.ManagementFactory;

/** Heap in use after a full collection: what a simulated cluster keeps alive. */
final class HeapUse {
  private HeapUse() {}

  static long usedMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }
}
