package dev.partisan.bench.handoff;

import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.TrafficClass;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the nodes of a run carry their traffic: a mode of {@code bench handoff}, a configuration of
 * {@code bench overlays}. From everything shared to every layer of isolation:
 *
 * <ul>
 *   <li>{@link #BASELINE}: one connection per pair of nodes and one event loop group, as
 *       Distributed Erlang (no channels, no classes);
 *   <li>{@link #CHANNELS_NO_CLASSES}: the store's channels (request, handoff, anti-entropy, each
 *       its own connections), all in the latency class, so every connection reads and decodes on
 *       the one event loop group;
 *   <li>{@link #CHANNELS}: the channels as the store declares them, handoff and anti-entropy in the
 *       bulk class, on their own event loops;
 *   <li>{@link #CHANNELS_PARALLEL_AFFINITY}: the same with several request lanes keyed by
 *       partition.
 * </ul>
 */
enum ChannelMode {
  BASELINE("baseline"),
  CHANNELS_NO_CLASSES("channels-no-classes"),
  CHANNELS("channels"),
  CHANNELS_PARALLEL_AFFINITY("channels-parallel-affinity");

  private final String label;

  ChannelMode(String label) {
    this.label = label;
  }

  /** The name on the command line, in the CSV and in the summaries. */
  String label() {
    return label;
  }

  static List<String> labels() {
    return Arrays.stream(values()).map(ChannelMode::label).toList();
  }

  /** The mode named {@code label}; the error lists the valid names. */
  static ChannelMode parse(String label) {
    for (ChannelMode m : values()) {
      if (m.label.equals(label.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + label + "'; choose from " + String.join(", ", labels()));
  }

  /** Whether bulk channels keep their class and so run on a bulk event loop group. */
  boolean trafficClasses() {
    return this == CHANNELS || this == CHANNELS_PARALLEL_AFFINITY;
  }

  /** Request-channel lanes: {@code lanes} with affinity, else one. */
  int requestParallelism(int lanes) {
    return this == CHANNELS_PARALLEL_AFFINITY ? lanes : 1;
  }

  /**
   * Sets up {@code b} for this mode: baseline, or in {@link #CHANNELS_NO_CLASSES} the store's
   * channels declared here as the store would (same parallelism, queue bound and options) but in
   * the latency class; the store then keeps them as declared. The other modes leave the
   * declarations to the store.
   */
  RuntimeConfig.Builder configure(RuntimeConfig.Builder b, KvConfig store) {
    b.baseline(this == BASELINE);
    if (this == CHANNELS_NO_CLASSES) {
      RuntimeConfig declared = KvChannels.declare(RuntimeConfig.builder("declared"), store);
      for (ChannelSpec c : declared.channels().values()) {
        if (c.isBulk()) {
          b.channel(c.withTrafficClass(TrafficClass.LATENCY));
        }
      }
    }
    return b;
  }

  /**
   * picocli: reads a mode from its label, so an unknown one is a usage error naming the choices.
   */
  static final class Converter implements ITypeConverter<ChannelMode> {
    @Override
    public ChannelMode convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
