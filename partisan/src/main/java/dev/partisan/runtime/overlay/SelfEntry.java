package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.List;
import java.util.function.Supplier;

/**
 * This node's own entry in the member set: ALIVE and LEFT are written only by the member itself, at
 * a version above any it has seen, so a rumour that it is DOWN (at the version last seen) is
 * outvoted by its next version.
 *
 * <p>Not thread-safe: owned by the membership actor.
 */
final class SelfEntry {
  private final NodeId self;
  private final Supplier<String> role;
  private long version = 1;
  private boolean left;

  SelfEntry(NodeId self, Supplier<String> role) {
    this.self = self;
    this.role = role;
  }

  Member entry(Status status) {
    return new Member(self, version, status, role.get());
  }

  boolean left() {
    return left;
  }

  /** Our LEFT entry, one version above {@code seen} (our entry as the set holds it). */
  Member leave(Member seen) {
    version = Math.max(version, seen.version()) + 1;
    left = true;
    return entry(Status.LEFT);
  }

  /**
   * A DOWN or LEFT rumour about this life of ours among {@code changed}, while we are here: returns
   * the ALIVE entry that outvotes it (to merge and announce), or null.
   */
  Member refutation(List<Member> changed) {
    for (Member m : changed) {
      if (m.id().name().equals(self.name())
          && m.id().incarnation() == self.incarnation()
          && m.status() != Status.ALIVE
          && !left) {
        version = m.version() + 1;
        return entry(Status.ALIVE);
      }
    }
    return null;
  }
}
