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
 * @param senders what sends on A: threads asking (the default), actors telling (named with {@link
 *     EchoSenders#ACTORS_SUFFIX}), or raw TCP sockets with no runtime ({@link #RAW_TCP})
 */
record EchoConfig(
    String name,
    boolean baseline,
    int channels,
    int parallelism,
    boolean affinity,
    Dispatch dispatch,
    EchoSenders senders) {

  /** The reference configuration: one plain socket per sender, no runtime (RawTcpEcho). */
  static final String RAW_TCP = "raw-tcp";

  /** Appended to a configuration's name: the same configuration, echo actors on the event loop. */
  static final String EVENT_LOOP_SUFFIX = "+event-loop";

  /** The values of {@code --dispatch}. */
  static final List<String> DISPATCHES = List.of("virtual", "event-loop");

  /** Checks the {@code --dispatch} values. */
  static void checkDispatches(List<String> dispatches) {
    for (String d : dispatches) {
      if (!DISPATCHES.contains(d)) {
        throw new IllegalArgumentException("unknown dispatch " + d + "; one of " + DISPATCHES);
      }
    }
  }

  /** The name B knows a configuration by: the senders are A's business ({@code bench node}). */
  static String nodeName(String name) {
    String plain = EchoTransports.strip(name);
    String transport = name.substring(plain.length()); // "@io_uring", or empty
    String node =
        plain.endsWith(EchoSenders.ACTORS_SUFFIX)
            ? plain.substring(0, plain.length() - EchoSenders.ACTORS_SUFFIX.length())
            : plain;
    return node + transport;
  }

  /**
   * The baseline row {@code config} is compared with: {@code baseline} with the same dispatch,
   * sender and transport suffixes ({@code parallel+event-loop@io_uring} → {@code
   * baseline+event-loop@io_uring}); {@code raw-tcp} with the plain {@code baseline}.
   */
  static String baselineFor(String config) {
    int plus = config.indexOf('+');
    int at = config.indexOf('@');
    int cut = plus < 0 ? at : at < 0 ? plus : Math.min(plus, at);
    return cut < 0 || config.equals(RAW_TCP) ? "baseline" : "baseline" + config.substring(cut);
  }

  static List<String> names() {
    return List.of(
        "baseline", "parallel", "parallel-affinity", "channels", "channels-parallel-affinity");
  }

  static EchoConfig named(String name, int lanes, int channels) {
    Dispatch v = Dispatch.VIRTUAL_THREAD;
    if (name.equals(RAW_TCP)) {
      return new EchoConfig(name, true, 1, 1, false, v, EchoSenders.RAW_TCP);
    }
    String plain = EchoTransports.strip(name); // the sockets are EchoNodes' business
    String node = nodeName(plain);
    EchoSenders s = node.equals(plain) ? EchoSenders.THREADS : EchoSenders.ACTORS;
    boolean onEventLoop = node.endsWith(EVENT_LOOP_SUFFIX);
    Dispatch d = onEventLoop ? Dispatch.EVENT_LOOP : v;
    String base =
        onEventLoop ? node.substring(0, node.length() - EVENT_LOOP_SUFFIX.length()) : node;
    return switch (base) {
      case "baseline" -> new EchoConfig(name, true, 1, 1, false, d, s);
      case "parallel" -> new EchoConfig(name, false, 1, lanes, false, d, s);
      case "parallel-affinity" -> new EchoConfig(name, false, 1, lanes, true, d, s);
      case "channels" -> new EchoConfig(name, false, channels, 1, true, d, s);
      case "channels-parallel-affinity" -> new EchoConfig(name, false, channels, lanes, true, d, s);
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
    if (senders == EchoSenders.RAW_TCP) {
      return "raw TCP: one plain blocking socket per sender, no runtime (the reference)";
    }
    String actors =
        (dispatch == Dispatch.EVENT_LOOP
                ? "; echo actors on the event loop (Dispatch.EVENT_LOOP)"
                : "")
            + (senders == EchoSenders.ACTORS
                ? "; senders are actors on A (tell, ack as a message; Dispatch.EVENT_LOOP)"
                : "");
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
