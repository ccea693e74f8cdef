package dev.partisan.runtime.channel;

import java.util.Locale;

/**
 * What a channel's traffic needs of the node's threads. {@link #LATENCY} traffic (requests,
 * membership, the default channel) shares the node's event loop group; {@link #BULK} traffic
 * (handoff, anti-entropy: large batches, CPU-bound decoding) reads, decodes and writes on a
 * separate group, so a large batch never decodes on the thread that reads requests. Baseline mode
 * ignores classes: everything shares one connection and one group.
 *
 * <p>Separate threads alone do not keep requests fast on a machine with few cores: a bulk thread
 * that is running holds a core, and a request's thread waits for the scheduler to give it one. So
 * bulk threads also run at a lower {@linkplain #threadPriority() priority}, which the OS honours
 * when the JVM passes Java priorities on (see {@link OsThreadPriority}).
 */
public enum TrafficClass {
  LATENCY(Thread.NORM_PRIORITY),
  BULK(Thread.MIN_PRIORITY);

  private final int threadPriority;

  TrafficClass(int threadPriority) {
    this.threadPriority = threadPriority;
  }

  /**
   * The Java priority of threads that carry only this class's work: the bulk event loops here, and
   * the bulk work pools of layers above (a store's handoff and anti-entropy workers).
   */
  public int threadPriority() {
    return threadPriority;
  }

  /** The name used in settings ({@code channel.NAME.class=bulk}). */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a class from its setting name; the error lists the valid ones. */
  public static TrafficClass parse(String value) {
    for (TrafficClass c : values()) {
      if (c.settingName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "traffic class must be latency or bulk, got '" + value + "'");
  }
}
