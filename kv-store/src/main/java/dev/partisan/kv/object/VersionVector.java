package dev.partisan.kv.object;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A version vector: for each actor, the highest counter whose event (and, because an actor issues
 * its counters in order on an object that already holds its earlier events, all earlier ones) is
 * known. Immutable; entries are kept sorted so equal vectors encode identically.
 */
public record VersionVector(Map<String, Long> counters) {
  public static final VersionVector EMPTY = new VersionVector(Map.of());

  public VersionVector {
    Objects.requireNonNull(counters, "counters");
    SortedMap<String, Long> sorted = new TreeMap<>();
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      String actor = Objects.requireNonNull(e.getKey(), "actor");
      long c = Objects.requireNonNull(e.getValue(), "counter");
      if (actor.isEmpty()) {
        throw new IllegalArgumentException("version vector actor must not be empty");
      }
      if (c < 1) {
        throw new IllegalArgumentException("version vector counter must be >= 1: " + c);
      }
      sorted.put(actor, c);
    }
    counters = Collections.unmodifiableSortedMap(sorted);
  }

  public long get(String actor) {
    Long c = counters.get(actor);
    return c == null ? 0 : c;
  }

  public boolean isEmpty() {
    return counters.isEmpty();
  }

  public int size() {
    return counters.size();
  }

  /** True when the event {@code dot} is part of this history. */
  public boolean covers(Dot dot) {
    return get(dot.actor()) >= dot.counter();
  }

  /** True when this history contains all of {@code other}'s (equal vectors descend each other). */
  public boolean descends(VersionVector other) {
    for (Map.Entry<String, Long> e : other.counters.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The pointwise maximum: the union of both histories. */
  public VersionVector join(VersionVector other) {
    if (other.counters.isEmpty() || descends(other)) {
      return this;
    }
    if (counters.isEmpty() || other.descends(this)) {
      return other;
    }
    TreeMap<String, Long> m = new TreeMap<>(counters);
    other.counters.forEach((a, c) -> m.merge(a, c, Math::max));
    return new VersionVector(m);
  }

  /** This history plus {@code dot} (and, by the vector's meaning, everything before it). */
  public VersionVector with(Dot dot) {
    if (covers(dot)) {
      return this;
    }
    TreeMap<String, Long> m = new TreeMap<>(counters);
    m.put(dot.actor(), dot.counter());
    return new VersionVector(m);
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
