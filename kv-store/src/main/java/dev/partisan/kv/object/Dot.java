package dev.partisan.kv.object;

import java.util.Objects;

/**
 * One write event: the actor (a vnode's key-epoch id) that coordinated it and that actor's counter
 * for the key. Dots are unique: an actor never issues the same counter twice for one key.
 */
public record Dot(String actor, long counter) implements Comparable<Dot> {
  public Dot {
    Objects.requireNonNull(actor, "actor");
    if (actor.isEmpty()) {
      throw new IllegalArgumentException("dot actor must not be empty");
    }
    if (counter < 1) {
      throw new IllegalArgumentException("dot counter must be >= 1: " + counter);
    }
  }

  @Override
  public int compareTo(Dot o) {
    int c = actor.compareTo(o.actor);
    return c != 0 ? c : Long.compare(counter, o.counter);
  }

  @Override
  public String toString() {
    return actor + ":" + counter;
  }
}
