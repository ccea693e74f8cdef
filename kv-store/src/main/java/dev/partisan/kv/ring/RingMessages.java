package dev.partisan.kv.ring;

import java.util.List;

/** Wire messages between ring managers (see {@code KvTypes}). */
public final class RingMessages {
  private RingMessages() {}

  /** A node's whole ring state (canonical encoding) and bucket properties, gossiped. */
  public record RingGossip(byte[] ring, List<BucketPropsEntry> buckets) {}

  /** Asks the claimant to add {@code node} to the ring (stage, plan, commit). */
  public record JoinRequest(String node) {}

  /** The claimant's answer to a {@link JoinRequest}. */
  public record JoinReply(boolean accepted, String message, long ringVersion) {}

  /** Bucket properties as persisted in node metadata. */
  public record BucketTable(List<BucketPropsEntry> entries) {}
}
