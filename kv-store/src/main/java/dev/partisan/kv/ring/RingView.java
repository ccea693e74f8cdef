package dev.partisan.kv.ring;

import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.RingState;

/** One ring version with its preference-list table; immutable, shared by every coordinator. */
public record RingView(RingState ring, PreferenceList preferenceList) {
  public static RingView of(RingState ring) {
    return new RingView(ring, PreferenceList.of(ring));
  }

  public boolean owns(String node, int partition) {
    return ring.owner(partition).equals(node);
  }

  public long version() {
    return ring.version();
  }
}
