package dev.partisan.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * Samples heap in use, live platform threads, open descriptors and RSS every 250 ms and keeps the
 * peaks since the last {@link #reset}. Virtual threads (the actors') are not platform threads and
 * are not counted.
 */
final class PeakSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Thread thread;
  private volatile boolean stop;
  private volatile long peakHeap;
  private volatile long peakThreads;
  private volatile long peakFds;
  private volatile long peakRss;

  record Peaks(long heapBytes, long threads, long fds, long rssBytes) {}

  PeakSampler() {
    thread = Thread.ofPlatform().name("scale-sampler").daemon().start(this::loop);
  }

  private void loop() {
    while (!stop) {
      sample();
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  synchronized void sample() {
    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
    peakThreads = Math.max(peakThreads, threads.getThreadCount());
    peakFds = Math.max(peakFds, ProcStats.openFds());
    peakRss = Math.max(peakRss, ProcStats.rssBytes());
  }

  /** Returns the peaks so far and starts a new window. */
  synchronized Peaks reset() {
    sample();
    Peaks p = new Peaks(peakHeap, peakThreads, peakFds, peakRss);
    peakHeap = 0;
    peakThreads = 0;
    peakFds = 0;
    peakRss = 0;
    return p;
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
