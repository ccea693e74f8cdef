package dev.partisan.kv.ring;

import dev.partisan.kv.ClusterChangeException;
import java.util.List;

/** Wire messages between ring managers (see {@code KvTypes}). */
public final class RingMessages {
  private RingMessages() {}

  /** A node's whole ring state (canonical encoding), bucket properties and types, gossiped. */
  public record RingGossip(
      byte[] ring, List<BucketPropsEntry> buckets, List<BucketTypeEntry> types) {}

  /** Asks the claimant to add {@code node} to the ring (stage, plan, commit). */
  public record JoinRequest(String node) {}

  /** The claimant's answer to a {@link JoinRequest}. */
  public record JoinReply(boolean accepted, String message, long ringVersion) {}

  /**
   * Asks the claimant to stage, plan and commit cluster changes (riak-admin cluster
   * join/leave/remove, plan, commit). With {@code baseVersion} >= 0 the changes were reviewed in a
   * plan made against that ring version and structure digest, and the claimant refuses them ({@code
   * STALE}) if its ring has moved on; with -1 it plans against whatever ring it has.
   */
  public record ClusterChangeRequest(
      List<StagedChange> changes, long baseVersion, String baseDigest) {
    public ClusterChangeRequest {
      changes = List.copyOf(changes);
    }
  }

  /** One staged change: {@code kind} is {@code join}, {@code leave} or {@code remove}. */
  public record StagedChange(String kind, String node) {}

  /**
   * The claimant's answer to a {@link ClusterChangeRequest}: on success the committed ring version
   * and the plan's description; otherwise why it refused ({@code refusal}, an enum on the wire, so
   * a peer can never name a reason that does not exist) and its message.
   */
  public record ClusterChangeReply(
      boolean accepted,
      ClusterChangeException.Reason refusal,
      String message,
      long ringVersion,
      String plan) {}

  /** Bucket properties as persisted in node metadata. */
  public record BucketTable(List<BucketPropsEntry> entries) {}

  /** Bucket types as persisted in node metadata. */
  public record BucketTypeTable(List<BucketTypeEntry> entries) {}

  /** Asks a ring manager whether it knows bucket type {@code name} at {@code stamp} or newer. */
  public record TypeProbe(String name, long stamp) {}

  /** The answer to a {@link TypeProbe}. */
  public record TypeProbeReply(String node, boolean known) {}
}
