package dev.partisan.runtime.overlay;

import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Digest;
import dev.partisan.runtime.overlay.MembershipMessages.DigestHash;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Keeps member sets converging without sending whole sets around: each gossip period this node
 * sends a 12-byte hash of its set to one random neighbour, which answers with its digest only when
 * the hashes differ; each side then sends the entries the other lacks. Equal hashes cost nothing
 * more.
 *
 * <p>Only while the set is quiet: a set that changed within the last gossip period is still
 * receiving news, which the overlay's own dissemination is carrying to everyone; comparing it then
 * finds a difference that is only news in flight, and the full digest (O(members)) sent for it is
 * waste. While a cluster forms or churns every set changes every period, so full exchanges then
 * cost O(n) per node per period — O(n²) across the cluster — for nothing. Anti-entropy is for what
 * dissemination lost, and that is still there once the news stops: a node neither starts nor
 * answers a comparison until its set has held still for a gossip period.
 *
 * <p>Not thread-safe: owned by the membership actor.
 */
final class AntiEntropy {
  /** Sends on the membership channel to a peer, with a conflation key. */
  interface Sender {
    void send(String peer, Object message, Object key);
  }

  private final MembershipSet set;
  private final long intervalNanos;
  private final Sender sender;
  private final OverlayHost host; // its clock and random source
  private final BiConsumer<ActorContext, Object> replier; // direct replies: never routed
  private long lastGossipNanos;
  private long hashAtLastTick;
  private long lastChangeNanos;
  private boolean sawTick;

  AntiEntropy(
      MembershipSet set,
      FailureDetection timings,
      OverlayHost host,
      Sender sender,
      BiConsumer<ActorContext, Object> replier) {
    this.set = set;
    this.intervalNanos = timings.gossipInterval().toNanos();
    this.sender = sender;
    this.host = host;
    this.replier = replier;
  }

  /** Every tick: notes whether the set changed; once a gossip period, its hash to one of peers. */
  void tick(long now, List<String> peers) {
    if (!sawTick || set.hash() != hashAtLastTick) {
      sawTick = true;
      hashAtLastTick = set.hash();
      lastChangeNanos = now;
    }
    if (now - lastGossipNanos < intervalNanos) {
      return;
    }
    lastGossipNanos = now;
    if (!peers.isEmpty() && quiet(now)) {
      String peer = peers.get(host.random().nextInt(peers.size()));
      sender.send(peer, new DigestHash(set.hash(), set.size()), "digest");
    }
  }

  /** Whether the set has not changed for a gossip period (as of the last tick, and since). */
  boolean quiet(long now) {
    return sawTick && set.hash() == hashAtLastTick && now - lastChangeNanos >= intervalNanos;
  }

  void onDigestHash(ActorContext ctx, DigestHash h) {
    if (ctx.sender() != null
        && (h.hash() != set.hash() || h.size() != set.size())
        && quiet(host.nanoTime())) {
      replier.accept(ctx, new Digest(set.digest(), false));
    }
  }

  void onDigest(ActorContext ctx, Digest d) {
    if (ctx.sender() == null) {
      return;
    }
    List<MembershipMessages.Member> newer = set.newerThan(d.entries());
    if (!newer.isEmpty()) {
      replier.accept(ctx, new Delta(newer, false, false));
    }
    if (!d.reply() && set.behind(d.entries())) {
      replier.accept(ctx, new Digest(set.digest(), true));
    }
  }
}
