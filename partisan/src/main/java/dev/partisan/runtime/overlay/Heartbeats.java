package dev.partisan.runtime.overlay;

import java.util.HashMap;
import java.util.Map;

/**
 * Which monitored peers need a heartbeat this tick. The receiver's failure detector is refreshed by
 * any frame from us (the transport's {@code peerActive} on every frame; the simulator on every
 * delivery), so a peer we sent any membership message to since the last tick already has its sign
 * of life: its heartbeat is skipped. While a cluster forms or churns, Plumtree's payloads, IHAVEs
 * and the views' upkeep reach the neighbours every period anyway, and a heartbeat per neighbour per
 * tick on top of them was a message per link per tick for nothing.
 *
 * <p>Bound: a peer hears from us at least every two ticks (a send just after a tick skips the next
 * tick's heartbeat, not the one after), and the suspicion time is at least three ticks ({@link
 * FailureDetector}: a tick is at most a quarter of the detection time).
 *
 * <p>Not thread-safe: owned by the membership actor, which does all of a node's membership sends.
 */
final class Heartbeats {
  private final long tickNanos;
  // Peer -> host.nanoTime() of our last accepted send to it; entries older than a tick are dropped
  // each tick, so this holds only the peers we talked to lately.
  private final Map<String, Long> lastSent = new HashMap<>();

  Heartbeats(long tickNanos) {
    this.tickNanos = tickNanos;
  }

  /** A membership message to {@code peer} was accepted by the transport at {@code now}. */
  void sent(String peer, long now) {
    lastSent.put(peer, now);
  }

  /** Starts a tick: forgets sends older than one tick. */
  void startTick(long now) {
    lastSent.values().removeIf(at -> now - at >= tickNanos);
  }

  /** Whether {@code peer} needs a heartbeat: nothing was sent to it within the last tick. */
  boolean due(String peer) {
    return !lastSent.containsKey(peer);
  }
}
