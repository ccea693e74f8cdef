package dev.partisan.runtime.channel;

import java.nio.charset.StandardCharsets;

/**
 * Maps a partition key to a lane (connection index). The hash is a pure function of the key's
 * bytes, so the same key picks the same lane on every send, across reconnects and restarts:
 * messages sharing a key share one TCP connection and keep their order.
 */
public final class LaneSelector {
  private LaneSelector() {}

  public static int lane(Object partitionKey, int parallelism) {
    if (parallelism == 1) {
      return 0;
    }
    return Math.floorMod(mix(stableHash(partitionKey)), parallelism);
  }

  /** Default key when none is given: the (sender, receiver) pair, which keeps per-pair FIFO. */
  public static int laneForPair(String sender, String receiver, int parallelism) {
    if (parallelism == 1) {
      return 0;
    }
    int h = stableHash(sender) * 31 + stableHash(receiver);
    return Math.floorMod(mix(h), parallelism);
  }

  private static int stableHash(Object key) {
    return switch (key) {
      case null -> 0;
      case String s -> fnv1a(s.getBytes(StandardCharsets.UTF_8));
      case byte[] b -> fnv1a(b);
      case Integer i -> i;
      case Long l -> Long.hashCode(l);
      // Records, enums of the application: their hashCode must be value-based to be stable.
      default -> key.hashCode();
    };
  }

  private static int fnv1a(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }

  /** Murmur3 finaliser: spreads consecutive keys (partition indexes) across lanes. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
