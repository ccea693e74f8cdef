package dev.partisan.bench.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Cheap JVM counters read before and after a measured window. */
final class JvmStats {
  private JvmStats() {}

  /** Collections and accumulated collection time (ms) of all collectors so far. */
  record Gc(long count, long millis) {
    Gc minus(Gc earlier) {
      return new Gc(count - earlier.count, millis - earlier.millis);
    }
  }

  static Gc gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, b.getCollectionCount());
      millis += Math.max(0, b.getCollectionTime());
    }
    return new Gc(count, millis);
  }

  /** CPU time (ns) consumed so far by the live threads whose name starts with {@code prefix}. */
  static long cpuNanosOfThreads(String prefix) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported()) {
      return 0;
    }
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix)) {
        long cpu = threads.getThreadCpuTime(t.threadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }
}
