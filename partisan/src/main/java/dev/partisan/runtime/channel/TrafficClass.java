package dev.partisan.runtime.channel;

import java.util.Locale;

/**
 * What a channel's traffic needs of the node's event loops. {@link #LATENCY} traffic (requests,
 * membership, the default channel) shares the node's event loop group; {@link #BULK} traffic
 * (handoff, anti-entropy: large batches, CPU-bound decoding) reads, decodes and writes on a
 * separate group, so a large batch never decodes on the thread that reads requests. Baseline mode
 * ignores classes: everything shares one connection and one group.
 */
public enum TrafficClass {
  LATENCY,
  BULK;

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
