package dev.partisan.runtime.transport;

import dev.partisan.runtime.channel.ChannelSpec;
import java.time.Duration;
import java.util.Map;

/**
 * What the transport needs from the node's configuration.
 *
 * @param baseline put every channel and lane on one connection per peer pair (as Distributed Erlang
 *     does), to measure what channels and parallelism gain
 * @param linkEmulator an emulated network path for benchmarks, or {@code null} (the default)
 */
public record TransportSettings(
    String clusterName,
    byte[] clusterSecret,
    int maxFrameBytes,
    Duration handshakeTimeout,
    Duration minReconnectBackoff,
    Duration maxReconnectBackoff,
    Duration ackTimeout,
    boolean baseline,
    Map<String, ChannelSpec> channels,
    LinkEmulator linkEmulator) {

  public static final int PROTOCOL_VERSION = 1;
}
