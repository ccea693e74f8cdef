package dev.partisan.bench.echo;

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
 */
record EchoConfig(String name, boolean baseline, int channels, int parallelism, boolean affinity) {

  static final String RAW_TCP = "raw-tcp";

  static List<String> names() {
    return List.of(
        "baseline", "parallel", "parallel-affinity", "channels", "channels-parallel-affinity");
  }

  static EchoConfig named(String name, int lanes, int channels) {
    return switch (name) {
      case "baseline" -> new EchoConfig(name, true, 1, 1, false);
      case "parallel" -> new EchoConfig(name, false, 1, lanes, false);
      case "parallel-affinity" -> new EchoConfig(name, false, 1, lanes, true);
      case "channels" -> new EchoConfig(name, false, channels, 1, true);
      case "channels-parallel-affinity" -> new EchoConfig(name, false, channels, lanes, true);
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
    if (baseline) {
      return "baseline: one TCP connection per node pair";
    }
    return channels
        + " channel(s) x "
        + parallelism
        + " lane(s), key = "
        + (affinity ? "sender (affinity)" : "random per message");
  }
}
