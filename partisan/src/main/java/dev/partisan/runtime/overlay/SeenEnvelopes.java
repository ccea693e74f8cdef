package dev.partisan.runtime.overlay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this node has seen lately of each routed envelope: one entry per envelope (origin, its life,
 * id) holding a few bits, so a hop answers all its duplicate questions with one map operation and
 * builds no key strings. Once full, the oldest envelope is forgotten.
 *
 * <p>Threading: any thread (senders and event loops); {@link #mark} holds this object's monitor for
 * one map operation and the bit update.
 */
final class SeenEnvelopes {
  /** Some copy reached this node (only the first teaches the way back). */
  static final int ANY_COPY = 1;

  /** A routed (not flooded) copy was passed on here. */
  static final int ROUTED = 2;

  /** A flooded copy was passed on here. */
  static final int FLOODED = 4;

  /** The message was handed to a local actor. */
  static final int DELIVERED = 8;

  /** An envelope whatever its copy. */
  record Id(String origin, long originIncarnation, long id) {}

  private final Map<Id, int[]> seen;

  SeenEnvelopes(int capacity) {
    this.seen =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Id, int[]> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Sets {@code bits} for the envelope; returns the bits that were set before (0 if new). */
  synchronized int mark(Id envelope, int bits) {
    int[] flags = seen.computeIfAbsent(envelope, k -> new int[1]);
    int before = flags[0];
    flags[0] = before | bits;
    return before;
  }
}
