package dev.partisan.runtime;

/** Sent to node monitors when a node is (again) reachable. */
public record NodeUp(String node, long incarnation) {}
