package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.DigestEntry;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated member set: a map from node name to the dominant entry seen. A state-based CRDT
 * (see {@link Member#dominates}). Not thread-safe: owned by the membership actor.
 */
final class MembershipSet {
  private final Map<String, Member> entries = new TreeMap<>();
  private long hash; // XOR of entry hashes, maintained incrementally

  /** Merges entries; returns those that changed this set (the delta worth passing on). */
  List<Member> merge(Collection<Member> incoming) {
    List<Member> changed = new ArrayList<>();
    for (Member m : incoming) {
      Member mine = entries.get(m.id().name());
      if (mine == null || m.dominates(mine)) {
        if (mine != null) {
          hash ^= entryHash(mine);
        }
        entries.put(m.id().name(), m);
        hash ^= entryHash(m);
        changed.add(m);
      }
    }
    return changed;
  }

  private static long entryHash(Member m) {
    long h = m.id().name().hashCode() * 0x9E3779B97F4A7C15L;
    h ^= m.id().incarnation() * 0xC2B2AE3D27D4EB4FL;
    h ^= (m.version() + 31L * m.status().ordinal()) * 0x165667B19E3779F9L;
    return h ^ (h >>> 29);
  }

  long hash() {
    return hash;
  }

  int size() {
    return entries.size();
  }

  Member get(String name) {
    return entries.get(name);
  }

  Collection<Member> all() {
    return entries.values();
  }

  List<Member> snapshot() {
    return List.copyOf(entries.values());
  }

  List<DigestEntry> digest() {
    List<DigestEntry> d = new ArrayList<>(entries.size());
    for (Member m : entries.values()) {
      d.add(new DigestEntry(m.id().name(), m.id().incarnation(), m.version(), m.status()));
    }
    return d;
  }

  /** Entries of ours that dominate (or are missing from) the digest. */
  List<Member> newerThan(List<DigestEntry> digest) {
    Map<String, DigestEntry> theirs = new HashMap<>();
    for (DigestEntry e : digest) {
      theirs.put(e.name(), e);
    }
    List<Member> out = new ArrayList<>();
    for (Member m : entries.values()) {
      DigestEntry e = theirs.get(m.id().name());
      if (e == null || m.dominates(asMember(m, e))) {
        out.add(m);
      }
    }
    return out;
  }

  /** True if the digest holds an entry that dominates ours or that we lack. */
  boolean behind(List<DigestEntry> digest) {
    for (DigestEntry e : digest) {
      Member mine = entries.get(e.name());
      if (mine == null || asMember(mine, e).dominates(mine)) {
        return true;
      }
    }
    return false;
  }

  private static Member asMember(Member shape, DigestEntry e) {
    NodeId id = new NodeId(e.name(), shape.id().host(), shape.id().port(), e.incarnation());
    return new Member(id, e.version(), e.status(), shape.role());
  }
}
