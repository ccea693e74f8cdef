package dev.partisan.bench.runtime;

import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples, every 50 ms, the Netty pooled direct memory in use (outbound queues and inbound frames
 * of both nodes) and the heap in use, keeping the peaks: evidence that memory stays bounded.
 */
final class ResourceSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean stop;
  private volatile long peakDirect;
  private volatile long peakHeap;

  ResourceSampler() {
    thread = Thread.ofPlatform().name("bench-sampler").daemon().start(this::loop);
  }

  private void loop() {
    while (!stop) {
      sample();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    long direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    long heap = memory.getHeapMemoryUsage().getUsed();
    if (direct > peakDirect) {
      peakDirect = direct;
    }
    if (heap > peakHeap) {
      peakHeap = heap;
    }
  }

  long peakDirectBytes() {
    return peakDirect;
  }

  long peakHeapBytes() {
    return peakHeap;
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    ThroughputRun.joinQuietly(thread);
    sample();
  }
}
