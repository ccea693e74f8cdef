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
 * the hashes differ; each side then sends the entries the other lacks.
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

  /** Once a gossip period: the set's hash to one of {@code peers}. */
  void tick(long now, List<String> peers) {
    if (now - lastGossipNanos < intervalNanos) {
      return;
    }
    lastGossipNanos = now;
    if (!peers.isEmpty()) {
      String peer = peers.get(host.random().nextInt(peers.size()));
      sender.send(peer, new DigestHash(set.hash(), set.size()), "digest");
    }
  }

  void onDigestHash(ActorContext ctx, DigestHash h) {
    if (ctx.sender() != null && (h.hash() != set.hash() || h.size() != set.size())) {
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
