package dev.partisan.runtime.overlay;

import java.time.Duration;

/**
 * How members watch each other (the group {@code RuntimeConfig.failureDetection()}), the same for
 * every overlay.
 *
 * @param heartbeatInterval how often a node heartbeats the peers it monitors
 * @param detectionTime silence after which a monitored peer is reported down
 * @param gossipInterval how often a node compares its member set with a neighbour's, which is how
 *     news of failures and recoveries reaches the members that missed it
 */
public record FailureDetection(
    Duration heartbeatInterval, Duration detectionTime, Duration gossipInterval) {}
