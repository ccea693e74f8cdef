package dev.partisan.runtime.overlay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failure detector's clocks: when anything was last heard from each peer.
 *
 * <p>Threading: a concurrent map of atomic clocks. Event loops set a peer's clock on every frame
 * (without allocating once the peer has a clock); the overlay's actor reads, restarts and removes
 * them.
 */
public final class PeerClocks {
  private final Map<String, AtomicLong> lastHeard = new ConcurrentHashMap<>();

  /** A frame from the peer arrived (event loop). */
  public void heard(String peer) {
    AtomicLong t = lastHeard.get(peer);
    if (t == null) {
      t = lastHeard.computeIfAbsent(peer, k -> new AtomicLong());
    }
    t.set(System.nanoTime());
  }

  /** When anything was last received from the peer (System.nanoTime), or 0 if never. */
  public long lastHeardNanos(String peer) {
    AtomicLong t = lastHeard.get(peer);
    return t == null ? 0 : t.get();
  }

  /** Restarts the clock for a peer (it was just learned). */
  public void touch(String peer) {
    lastHeard.computeIfAbsent(peer, k -> new AtomicLong()).set(System.nanoTime());
  }

  public void forget(String peer) {
    lastHeard.remove(peer);
  }
}
