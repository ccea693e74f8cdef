package dev.partisan.kv;

/**
 * A committed cluster change.
 *
 * @param ringVersion the ring version that carries it
 * @param plan the plan the claimant committed, as {@code riak-admin cluster plan} prints it
 */
public record ClusterChangeResult(long ringVersion, String plan) {}
