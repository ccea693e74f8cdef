package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.MembershipMessages.Broadcast;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Broadcasts to every member, delivered at most once on each: ids for this node's broadcasts, the
 * TTL that bounds how far a copy travels, duplicate suppression and delivery to the local actor.
 * How copies travel is the overlay's choice (flooding by default, Plumtree in HyParView).
 *
 * <p>Threading: ids are atomic (any thread may broadcast); the record of broadcasts seen is owned
 * by the membership actor.
 */
final class Broadcasts {
  private static final int SEEN_BROADCASTS = 65_536;

  private final OverlayHost host;
  private final int ttl;
  private final AtomicLong ids = new AtomicLong();
  private final RecentKeys seen = new RecentKeys(SEEN_BROADCASTS);

  Broadcasts(OverlayHost host, int ttl) {
    this.host = host;
    this.ttl = ttl;
  }

  /** A new broadcast of {@code message} to the actor named {@code actor} on every member. */
  Broadcast create(String actor, Object message) {
    OverlayHost.EncodedBody body = host.encode(message);
    return new Broadcast(
        host.self().name(), ids.incrementAndGet(), actor, body.typeId(), body.body(), ttl);
  }

  /** Delivers a broadcast here; false, and nothing delivered, for a copy already seen. */
  boolean accept(Broadcast b) {
    if (seen.remember(b.origin() + ":" + b.id())) {
      return false;
    }
    host.deliverBroadcast(b.origin(), b.actor(), b.typeId(), b.body());
    return true;
  }

  /** The copy to pass on, one hop further; null when its TTL is spent. */
  static Broadcast onward(Broadcast b) {
    return b.ttl() <= 1
        ? null
        : new Broadcast(b.origin(), b.id(), b.actor(), b.typeId(), b.body(), b.ttl() - 1);
  }
}
