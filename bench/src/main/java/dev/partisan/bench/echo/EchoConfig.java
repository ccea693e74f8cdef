package dev.partisan.bench.echo;

import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.channel.ChannelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One configuration of the paper's echo experiment: how the senders' messages map onto connections.
 *
 * @param name the configuration's name in tables and charts
 * @param baseline one connection per node pair for everything (Distributed Erlang)
 * @param channels application channels; sender {@code i} uses channel {@code i % channels}
 * @param parallelism connections (lanes) per channel
 * @param affinity the partition key is the sender (its lane is fixed); otherwise a random key per
 *     message, as the Erlang Partisan's random connection choice
 * @param dispatch where B's echo actors run their turns: {@link Dispatch#EVENT_LOOP} is its own
 *     configuration, named with {@link #EVENT_LOOP_SUFFIX} (e.g. {@code baseline+event-loop}),
 *     never the silent default
 */
record EchoConfig(
    String name,
    boolean baseline,
    int channels,
    int parallelism,
    boolean affinity,
    Dispatch dispatch) {

  static final String RAW_TCP = "raw-tcp";

  /** Appended to a configuration's name: the same configuration, echo actors on the event loop. */
  static final String EVENT_LOOP_SUFFIX = "+event-loop";

  /** The values of {@code --dispatch}. */
  static final List<String> DISPATCHES = List.of("virtual", "event-loop");

  /**
   * Every configuration once per dispatch ({@code virtual}: the name as is; {@code event-loop}:
   * with {@link #EVENT_LOOP_SUFFIX}), configuration-major.
   */
  static List<String> withDispatches(List<String> configs, List<String> dispatches) {
    for (String d : dispatches) {
      if (!DISPATCHES.contains(d)) {
        throw new IllegalArgumentException("unknown dispatch " + d + "; one of " + DISPATCHES);
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : configs) {
      for (String d : dispatches) {
        out.add(d.equals("event-loop") ? c + EVENT_LOOP_SUFFIX : c);
      }
    }
    return out;
  }

  static List<String> names() {
    return List.of(
        "baseline", "parallel", "parallel-affinity", "channels", "channels-parallel-affinity");
  }

  static EchoConfig named(String name, int lanes, int channels) {
    String plain = EchoTransports.strip(name); // the sockets are EchoNodes' business
    boolean onEventLoop = plain.endsWith(EVENT_LOOP_SUFFIX);
    Dispatch d = onEventLoop ? Dispatch.EVENT_LOOP : Dispatch.VIRTUAL_THREAD;
    String base =
        onEventLoop ? plain.substring(0, plain.length() - EVENT_LOOP_SUFFIX.length()) : plain;
    return switch (base) {
      case "baseline" -> new EchoConfig(name, true, 1, 1, false, d);
      case "parallel" -> new EchoConfig(name, false, 1, lanes, false, d);
      case "parallel-affinity" -> new EchoConfig(name, false, 1, lanes, true, d);
      case "channels" -> new EchoConfig(name, false, channels, 1, true, d);
      case "channels-parallel-affinity" -> new EchoConfig(name, false, channels, lanes, true, d);
      default -> throw new IllegalArgumentException("unknown configuration " + name);
    };
  }

  /** Bound of every queue, big enough that no configuration's senders ever meet a full one. */
  static final long QUEUE_BOUND = 2L * 1024 * 1024 * 1024;

  List<ChannelSpec> channelSpecs() {
    List<ChannelSpec> specs = new ArrayList<>();
    // Baseline mode's single connection takes its queue bound from the default channel: give it
    // the same bound as every lane, so the baseline is not handicapped by a smaller queue.
    specs.add(ChannelSpec.named(ChannelSpec.DEFAULT).withMaxQueuedBytes(QUEUE_BOUND));
    for (int c = 0; c < channels; c++) {
      specs.add(
          ChannelSpec.named(channel(c))
              .withParallelism(parallelism)
              .withMaxQueuedBytes(QUEUE_BOUND));
    }
    return specs;
  }

  static String channel(int c) {
    return "echo" + c;
  }

  String channelOf(int sender) {
    return channel(sender % channels);
  }

  /** The partition key of sender {@code i}'s next message. */
  String keyOf(int sender) {
    return affinity ? "sender-" + sender : Long.toString(ThreadLocalRandom.current().nextLong());
  }

  String describe() {
    String actors =
        dispatch == Dispatch.EVENT_LOOP
            ? "; echo actors on the event loop (Dispatch.EVENT_LOOP)"
            : "";
    if (baseline) {
      return "baseline: one TCP connection per node pair" + actors;
    }
    return channels
        + " channel(s) x "
        + parallelism
        + " lane(s), key = "
        + (affinity ? "sender (affinity)" : "random per message")
        + actors;
  }
}
