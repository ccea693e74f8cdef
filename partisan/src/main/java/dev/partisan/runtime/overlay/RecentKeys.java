package dev.partisan.runtime.overlay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded record of keys seen lately, for duplicate suppression: once full, the oldest key is
 * forgotten. Used for broadcast ids (routed envelopes have {@link SeenEnvelopes}).
 *
 * <p>Threading: any thread; {@link #remember} holds this object's monitor for one map update.
 */
final class RecentKeys {
  private final Map<String, Boolean> seen;

  RecentKeys(int capacity) {
    this.seen =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Records {@code key}; true if it had been seen already. */
  synchronized boolean remember(String key) {
    return seen.put(key, Boolean.TRUE) != null;
  }
}
