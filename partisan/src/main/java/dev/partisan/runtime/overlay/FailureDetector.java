package dev.partisan.runtime.overlay;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Judges the peers this node monitors by their silence: a peer not heard from (any frame counts)
 * for the suspicion time is down in this node's view, and up again once it has been heard from
 * within half that time, so a peer on the edge does not flap.
 *
 * <p>Not thread-safe: owned by the membership actor, which calls it once per tick.
 */
final class FailureDetector {
  private final OverlayHost host;
  private final Set<String> down = new HashSet<>();
  private final long tickMillis;
  private final long suspicionNanos;

  FailureDetector(OverlayHost host, FailureDetection timings) {
    this.host = host;
    long detection = timings.detectionTime().toMillis();
    this.tickMillis = Math.max(10, Math.min(timings.heartbeatInterval().toMillis(), detection / 4));
    // Suspect after (detection time - one tick) of silence: the check runs once per tick, so the
    // report lands within the configured detection time.
    this.suspicionNanos = TimeUnit.MILLISECONDS.toNanos(detection - tickMillis);
  }

  /** How often the membership actor ticks: heartbeats and judgements. */
  long tickMillis() {
    return tickMillis;
  }

  /** Judges a monitored peer at {@code now}; true when it has just gone silent. */
  boolean justWentSilent(String name, long now) {
    long silentFor = now - host.lastHeardNanos(name);
    if (!down.contains(name) && silentFor > suspicionNanos) {
      down.add(name);
      return true;
    }
    if (down.contains(name) && silentFor < suspicionNanos / 2) {
      down.remove(name);
    }
    return false;
  }

  boolean isDown(String name) {
    return down.contains(name);
  }

  /** News that the peer is alive (it joined, or came back): no longer down here. */
  void alive(String name) {
    down.remove(name);
  }
}
