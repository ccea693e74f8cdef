package dev.partisan.runtime.channel;

import java.util.Objects;

/**
 * A named channel with its own connections to each peer, and the traffic class that says which
 * event loops carry them.
 *
 * @param name channel name, also sent in the handshake
 * @param parallelism TCP connections (lanes) per peer
 * @param monotonic keep only the newest queued message per partition key (for state that later
 *     messages supersede, such as gossip)
 * @param compression deflate message bodies larger than {@link #COMPRESSION_THRESHOLD} bytes
 * @param maxQueuedBytes bound on bytes queued per connection; a send beyond it fails fast
 * @param ack at-least-once delivery: retransmit unacknowledged messages after a reconnect, and
 *     de-duplicate on the receiver by sequence number
 * @param trafficClass which event loops carry the channel's connections: the node's own ({@link
 *     TrafficClass#LATENCY}, the default) or the bulk group ({@link TrafficClass#BULK})
 */
public record ChannelSpec(
    String name,
    int parallelism,
    boolean monotonic,
    boolean compression,
    long maxQueuedBytes,
    boolean ack,
    TrafficClass trafficClass) {

  public static final String DEFAULT = "default";
  public static final String MEMBERSHIP = "membership";
  public static final int COMPRESSION_THRESHOLD = 1024;
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
  public static final int MAX_PARALLELISM = 64;

  public ChannelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(trafficClass, "trafficClass");
    if (!name.matches("[a-z0-9][a-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException(
          "channel name must match [a-z0-9][a-z0-9_.-]{0,63}: '" + name + "'");
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "parallelism must be 1.." + MAX_PARALLELISM + ": " + parallelism);
    }
    if (maxQueuedBytes < 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be >= 1024: " + maxQueuedBytes);
    }
  }

  public static ChannelSpec named(String name) {
    return new ChannelSpec(
        name, 1, false, false, DEFAULT_MAX_QUEUED_BYTES, false, TrafficClass.LATENCY);
  }

  public ChannelSpec withParallelism(int p) {
    return new ChannelSpec(name, p, monotonic, compression, maxQueuedBytes, ack, trafficClass);
  }

  public ChannelSpec withMonotonic(boolean m) {
    return new ChannelSpec(name, parallelism, m, compression, maxQueuedBytes, ack, trafficClass);
  }

  public ChannelSpec withCompression(boolean c) {
    return new ChannelSpec(name, parallelism, monotonic, c, maxQueuedBytes, ack, trafficClass);
  }

  public ChannelSpec withMaxQueuedBytes(long b) {
    return new ChannelSpec(name, parallelism, monotonic, compression, b, ack, trafficClass);
  }

  public ChannelSpec withAck(boolean a) {
    return new ChannelSpec(
        name, parallelism, monotonic, compression, maxQueuedBytes, a, trafficClass);
  }

  public ChannelSpec withTrafficClass(TrafficClass c) {
    return new ChannelSpec(name, parallelism, monotonic, compression, maxQueuedBytes, ack, c);
  }

  /** This channel's connections read, decode and write on the bulk event loops. */
  public ChannelSpec bulk() {
    return withTrafficClass(TrafficClass.BULK);
  }

  public boolean isBulk() {
    return trafficClass == TrafficClass.BULK;
  }
}
