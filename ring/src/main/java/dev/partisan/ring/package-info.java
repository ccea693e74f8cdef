/**
 * Riak-style data placement as a pure library: consistent hashing over a SHA-1 keyspace, claim
 * (which node owns which partition), preference lists, and the versioned ring state that a cluster
 * gossips and changes through staged plans.
 *
 * <p>Nothing here starts threads, performs I/O or depends on the actor runtime, so every decision
 * is a deterministic function of its inputs and can be tested exhaustively. Entry points:
 *
 * <ul>
 *   <li>{@link dev.partisan.ring.KeyHasher}: (bucket type, bucket, key) to {@link
 *       dev.partisan.ring.RingPosition}.
 *   <li>{@link dev.partisan.ring.PreferenceList}: the hot-path lookup built from a ring state.
 *   <li>{@link dev.partisan.ring.RingState}: members, owners, pending transfers; merge and binary
 *       encoding for gossip.
 *   <li>{@link dev.partisan.ring.Claimant}: staged changes to a {@link
 *       dev.partisan.ring.ClusterPlan}, commit, and the transfer lifecycle.
 *   <li>{@link dev.partisan.ring.ClaimAlgorithm}: balanced, spaced ownership with minimal movement.
 * </ul>
 */
package dev.partisan.ring;
