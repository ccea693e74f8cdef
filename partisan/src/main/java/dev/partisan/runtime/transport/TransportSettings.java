package dev.partisan.runtime.transport;

import java.time.Duration;

/**
 * The transport's settings (the group {@code RuntimeConfig.transport()}).
 *
 * @param baseline put every channel and lane on one connection per peer pair (as Distributed Erlang
 *     does), to measure what channels and parallelism gain
 * @param maxFrameBytes the largest frame either side accepts; a longer one closes the connection
 * @param handshakeTimeout how long a connection may take to authenticate
 * @param minReconnectBackoff first delay before redialing a link that has work
 * @param maxReconnectBackoff the delay doubles up to this
 * @param ackTimeout on acknowledged channels, how long a message may wait for its acknowledgement
 *     before it is dropped and reported
 * @param idleTimeout connections to non-neighbours that carried nothing this long are closed
 * @param linkEmulator an emulated network path for benchmarks, or {@code null} (the default)
 * @param tls TLS on every connection, or {@code null} for plaintext (the default)
 */
public record TransportSettings(
    boolean baseline,
    int maxFrameBytes,
    Duration handshakeTimeout,
    Duration minReconnectBackoff,
    Duration maxReconnectBackoff,
    Duration ackTimeout,
    Duration idleTimeout,
    LinkEmulator linkEmulator,
    TransportTls tls) {

  public static final int PROTOCOL_VERSION = 1;
}
