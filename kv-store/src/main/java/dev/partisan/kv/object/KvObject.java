package dev.partisan.kv.object;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A stored object: its siblings and the causal context that covers them (a dotted version vector
 * set: every sibling's dot is inside the context, and an event inside the context whose dot is not
 * among the siblings was overwritten). Immutable; siblings are kept in dot order so that equal
 * objects are equal as values.
 */
public record KvObject(VersionVector context, List<Sibling> siblings) {

  public KvObject {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(siblings, "siblings");
    List<Sibling> sorted = new ArrayList<>(siblings);
    sorted.sort((a, b) -> a.dot().compareTo(b.dot()));
    Set<Dot> seen = new HashSet<>();
    for (Sibling s : sorted) {
      if (!seen.add(s.dot())) {
        throw new IllegalArgumentException("two siblings share the dot " + s.dot());
      }
      if (!context.covers(s.dot())) {
        throw new IllegalArgumentException(
            "sibling dot " + s.dot() + " is outside the context " + context);
      }
    }
    siblings = List.copyOf(sorted);
  }

  /** Siblings that are values, not tombstones. */
  public List<Sibling> liveSiblings() {
    List<Sibling> live = new ArrayList<>(siblings.size());
    for (Sibling s : siblings) {
      if (!s.deleted()) {
        live.add(s);
      }
    }
    return live;
  }

  /** True when every sibling is a tombstone (a deleted object awaiting reaping). */
  public boolean isTombstone() {
    if (siblings.isEmpty()) {
      return true;
    }
    for (Sibling s : siblings) {
      if (!s.deleted()) {
        return false;
      }
    }
    return true;
  }

  /** True when both hold the same causal state (same context, same sibling dots). */
  public boolean sameVersion(KvObject other) {
    if (other == null
        || !context.equals(other.context)
        || siblings.size() != other.siblings.size()) {
      return false;
    }
    for (int i = 0; i < siblings.size(); i++) {
      if (!siblings.get(i).dot().equals(other.siblings.get(i).dot())) {
        return false;
      }
    }
    return true;
  }

  boolean hasDot(Dot dot) {
    for (Sibling s : siblings) {
      if (s.dot().equals(dot)) {
        return true;
      }
    }
    return false;
  }

  /** Latest modification time over all siblings (0 when there are none). */
  public long lastModified() {
    long t = 0;
    for (Sibling s : siblings) {
      t = Math.max(t, s.lastModified());
    }
    return t;
  }

  public long approximateSize() {
    long size = 16L * context.size();
    for (Sibling s : siblings) {
      size += s.approximateSize();
    }
    return size;
  }
}
