package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.TypeRegistry;
import java.util.List;

/** Wire messages of the full-mesh membership protocol (type ids 10..19). */
public final class MembershipMessages {
  private MembershipMessages() {}

  public static void register(TypeRegistry types) {
    types.register(10, Delta.class);
    types.register(11, Digest.class);
    types.register(12, Heartbeat.class);
  }

  /** Status of a member in the replicated set. LEFT is terminal for an incarnation. */
  public enum Status {
    ALIVE,
    LEFT
  }

  /**
   * One member's entry. Only the member itself creates new versions of its entry, so merging by
   * (incarnation, version, status) keeps the larger of two entries and the set is a join
   * semilattice: merges are commutative, associative and idempotent.
   */
  public record Member(NodeId id, long version, Status status) {
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

  /** Entries the sender believes are news to the receiver; optionally asks for its state back. */
  public record Delta(List<Member> members, boolean requestState) {}

  /** Compact summary of the sender's set, for periodic anti-entropy with one random peer. */
  public record Digest(List<DigestEntry> entries, boolean reply) {}

  /** (name, incarnation, version, status) of one entry. */
  public record DigestEntry(String name, long incarnation, long version, Status status) {}

  /** Liveness probe; any frame counts, this one just guarantees there is one. */
  public record Heartbeat(long sentAtMillis) {}
}
