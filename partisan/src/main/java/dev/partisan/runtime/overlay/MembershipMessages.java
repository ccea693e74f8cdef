package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.TypeRegistry;
import java.util.List;

/** Wire messages of the membership protocols shared by every overlay (type ids 10..19). */
public final class MembershipMessages {
  private MembershipMessages() {}

  public static void register(TypeRegistry types) {
    types.register(10, Delta.class);
    types.register(11, Digest.class);
    types.register(12, Heartbeat.class);
    types.register(13, DigestHash.class);
    types.register(14, Broadcast.class);
    types.register(15, BucketHashes.class);
    HyParViewMessages.register(types);
  }

  /**
   * Status of a member entry. ALIVE and LEFT are written only by the member itself; DOWN is a
   * rumour written by a node that lost it, at the version it last saw, and the member refutes it by
   * publishing a higher version.
   */
  public enum Status {
    ALIVE,
    DOWN,
    LEFT
  }

  /**
   * One member's entry. Merging keeps the dominant entry by (incarnation, version, status), so the
   * set is a join semilattice: merges are commutative, associative and idempotent.
   *
   * @param role the member's role tag ("server" or "client"; used by client-server)
   */
  public record Member(NodeId id, long version, Status status, String role) {
    boolean dominates(Member o) {
      if (id.incarnation() != o.id.incarnation()) {
        return id.incarnation() > o.id.incarnation();
      }
      if (version != o.version) {
        return version > o.version;
      }
      return status.ordinal() > o.status.ordinal();
    }
  }

  /**
   * Entries the sender believes are news to the receiver; optionally asks for its state back.
   *
   * @param relay whether the receiver should pass on what changed: true for news (a join, a leave,
   *     a forwarded change), false for answers (a state reply, an anti-entropy repair), whose
   *     entries the rest of the cluster already has. Relaying answers made every join re-broadcast
   *     the whole member list: O(n^3) traffic to form a cluster.
   */
  public record Delta(List<Member> members, boolean requestState, boolean relay) {}

  /**
   * Summary of the sender's entries in some buckets of its set, for anti-entropy with one peer.
   *
   * @param level the bucket level: 2^level buckets (0: one bucket, the whole set)
   * @param buckets which buckets of that level the entries cover (the receiver compares only those)
   * @param reply whether this answers a digest (then the receiver does not answer with its own)
   */
  public record Digest(
      int level, List<Integer> buckets, List<DigestEntry> entries, boolean reply) {}

  /**
   * The hashes of the sender's set per bucket (2^level of them, in bucket order): sent when a
   * {@link DigestHash} did not match, so that only the differing buckets' digests are exchanged.
   */
  public record BucketHashes(int level, List<Long> hashes) {}

  /** (name, incarnation, version, status) of one entry. */
  public record DigestEntry(String name, long incarnation, long version, Status status) {}

  /** An order-independent hash of the sender's set: the full digest is sent only on mismatch. */
  public record DigestHash(long hash, int size) {}

  /** Liveness probe; any frame counts, this one just guarantees there is one. */
  public record Heartbeat(long sentAtMonotonicMillis) {}

  /**
   * A message for a named actor on every member, flooded over the neighbour graph (overlays other
   * than HyParView, which uses Plumtree). The body stays encoded on the way.
   */
  public record Broadcast(String origin, long id, String actor, int typeId, byte[] body, int ttl) {}
}
