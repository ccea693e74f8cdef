package dev.partisan.runtime;

/**
 * Reported when acknowledged delivery gives up: {@code messages} sent to {@code peer} on the given
 * channel and lane were not acknowledged within the ack timeout and were discarded.
 */
public record DeliveryFailure(String peer, String channel, int lane, int messages) {}
