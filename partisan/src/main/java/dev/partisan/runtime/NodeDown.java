package dev.partisan.runtime;

/** Sent to node monitors when a node is detected down or leaves. */
public record NodeDown(String node, long incarnation, String reason) {}
