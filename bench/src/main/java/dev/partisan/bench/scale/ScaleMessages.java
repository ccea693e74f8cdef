package dev.partisan.bench.scale;

import dev.partisan.runtime.codec.TypeRegistry;

/** Messages of the scale experiment; every node registers them with the same ids. */
final class ScaleMessages {
  private ScaleMessages() {}

  /** Name of the actor that receives the experiment's messages on every node. */
  static final String SINK = "scale-sink";

  /** One broadcast, sent once from one node to the sink of every member. */
  record Shout(long id, String origin) {}

  /** A unicast from {@code from} to the sink on {@code to}; the sink answers with a Pong. */
  record Ping(long id, String from, String to) {}

  /** The answer to a Ping, sent back to the sink of the Ping's sender. */
  record Pong(long id, String from, String to) {}

  static void register(TypeRegistry types) {
    types.register(1301, Shout.class);
    types.register(1302, Ping.class);
    types.register(1303, Pong.class);
  }
}
