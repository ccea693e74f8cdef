package dev.partisan.runtime.overlay;

import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.overlay.MembershipMessages.BucketHashes;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Digest;
import dev.partisan.runtime.overlay.MembershipMessages.DigestHash;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Keeps member sets converging at a cost that follows the difference, not the cluster's size. Each
 * gossip period this node sends a 12-byte hash of its set to one random neighbour (equal hashes:
 * nothing more). On a mismatch the neighbour answers with its set's hashes per bucket (2^level
 * buckets, about 8 entries each, at most {@link MembershipSet#FINE_BUCKETS}); this node sends the
 * digest of just the buckets that differ, and each side then sends the entries the other lacks.
 *
 * <p>Why buckets: while a large cluster forms or churns, news is always in flight, so hashes differ
 * on almost every comparison; a whole-set digest then cost O(members) per node per period — O(n²)
 * across the cluster — to find a handful of differences.
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

  /** A neighbour's hash: on a mismatch, our bucket hashes, at a level fit for the larger set. */
  void onDigestHash(ActorContext ctx, DigestHash h) {
    if (ctx.sender() != null && (h.hash() != set.hash() || h.size() != set.size())) {
      int level = MembershipSet.levelFor(Math.max(h.size(), set.size()));
      List<Long> hashes = new ArrayList<>(1 << level);
      for (long b : set.bucketHashes(level)) {
        hashes.add(b);
      }
      replier.accept(ctx, new BucketHashes(level, List.copyOf(hashes)));
    }
  }

  /** A neighbour's bucket hashes: the digest of the buckets that differ. */
  void onBucketHashes(ActorContext ctx, BucketHashes b) {
    if (ctx.sender() == null
        || b.level() < 0
        || b.level() > MembershipSet.FINE_LEVEL
        || b.hashes().size() != 1 << b.level()) {
      return; // not a shape this version sends: nothing to compare
    }
    long[] ours = set.bucketHashes(b.level());
    List<Integer> differing = new ArrayList<>();
    for (int i = 0; i < ours.length; i++) {
      if (ours[i] != b.hashes().get(i)) {
        differing.add(i);
      }
    }
    if (!differing.isEmpty()) {
      replier.accept(
          ctx, new Digest(b.level(), differing, set.digest(b.level(), differing), false));
    }
  }

  /** A digest of some buckets: our newer entries in them, and our own digest if we are behind. */
  void onDigest(ActorContext ctx, Digest d) {
    if (ctx.sender() == null || !validBuckets(d)) {
      return;
    }
    List<Member> newer = set.newerThan(d.entries(), d.level(), d.buckets());
    if (!newer.isEmpty()) {
      replier.accept(ctx, new Delta(newer, false, false));
    }
    if (!d.reply() && set.behind(d.entries())) {
      replier.accept(
          ctx, new Digest(d.level(), d.buckets(), set.digest(d.level(), d.buckets()), true));
    }
  }

  private static boolean validBuckets(Digest d) {
    if (d.level() < 0 || d.level() > MembershipSet.FINE_LEVEL) {
      return false;
    }
    for (int b : d.buckets()) {
      if (b < 0 || b >= 1 << d.level()) {
        return false;
      }
    }
    return true;
  }
}
