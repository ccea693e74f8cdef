package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.BucketHashes;
import dev.partisan.runtime.overlay.MembershipMessages.Delta;
import dev.partisan.runtime.overlay.MembershipMessages.Digest;
import dev.partisan.runtime.overlay.MembershipMessages.DigestHash;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy's cost follows the difference: equal sets exchange one hash and nothing more; a
 * mismatch exchanges bucket hashes and the digests of the differing buckets only, after which both
 * sets are equal.
 */
class AntiEntropyTest {
  private static final FailureDetection TIMINGS =
      new FailureDetection(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1));

  /** One side of an exchange: its set, its anti-entropy, and what it sent. */
  private static final class Side {
    final String name;
    final MembershipSet set = new MembershipSet();
    final List<Object> sent = new ArrayList<>();
    final AntiEntropy antiEntropy;

    Side(String name) {
      this.name = name;
      this.antiEntropy =
          new AntiEntropy(
              set,
              TIMINGS,
              host(),
              (peer, message, key) -> sent.add(message),
              (ctx, message) -> sent.add(message));
    }

    /** Handles one message from {@code from}, as the membership actor would. */
    void receive(Side from, Object message) {
      ActorContext ctx = context(ActorRef.of(from.name, MembershipOverlay.ACTOR));
      switch (message) {
        case DigestHash h -> antiEntropy.onDigestHash(ctx, h);
        case BucketHashes b -> antiEntropy.onBucketHashes(ctx, b);
        case Digest d -> antiEntropy.onDigest(ctx, d);
        case Delta d -> set.merge(d.members());
        default -> throw new AssertionError(message);
      }
    }
  }

  @Test
  void equalSetsExchangeOneHashAndNothingMore() {
    Side a = new Side("a");
    Side b = new Side("b");
    List<Member> members = members(0, 500);
    a.set.merge(members);
    b.set.merge(members.reversed()); // another order: the same set

    a.antiEntropy.tick(Duration.ofSeconds(5).toNanos(), List.of("b"));
    assertThat(a.sent).singleElement().isInstanceOf(DigestHash.class);
    b.receive(a, a.sent.get(0));
    assertThat(b.sent).as("equal hashes: no answer").isEmpty();
  }

  @Test
  void aMismatchExchangesOnlyTheDifferingBucketsAndRepairsBothSides() {
    Side a = new Side("a");
    Side b = new Side("b");
    List<Member> common = members(0, 2_000);
    a.set.merge(common);
    b.set.merge(common);
    Member onlyA = member(5_000, 1, Status.ALIVE);
    Member newerOnB = member(7, 2, Status.DOWN); // b heard a rumour a missed
    a.set.merge(List.of(onlyA));
    b.set.merge(List.of(newerOnB));

    List<Object> traffic = exchange(a, b);

    assertThat(a.set.hash()).isEqualTo(b.set.hash());
    assertThat(a.set.get(onlyA.id().name())).isEqualTo(b.set.get(onlyA.id().name()));
    assertThat(a.set.get("m7")).isEqualTo(newerOnB);
    BucketHashes buckets =
        traffic.stream()
            .filter(BucketHashes.class::isInstance)
            .map(BucketHashes.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(buckets.hashes()).hasSize(256); // ~8 entries per bucket for 2,001 entries
    int digestEntries =
        traffic.stream()
            .filter(Digest.class::isInstance)
            .mapToInt(m -> ((Digest) m).entries().size())
            .sum();
    assertThat(digestEntries)
        .as("digests cover two buckets of each side, not the 2,000 members")
        .isLessThan(100);
  }

  @Test
  void twoEntriesDownOnOneSideOnlyStillDifferAndAreRepaired() {
    Side a = new Side("a");
    Side b = new Side("b");
    a.set.merge(members(0, 100));
    b.set.merge(members(0, 100));
    // b heard that two members crashed (rumours at the version seen); a missed both rumours.
    b.set.merge(List.of(member(11, 1, Status.DOWN), member(42, 1, Status.DOWN)));

    assertThat(a.set.hash())
        .as("an even number of like changes must not cancel")
        .isNotEqualTo(b.set.hash());
    exchange(a, b);

    assertThat(a.set.get("m11").status()).isEqualTo(Status.DOWN);
    assertThat(a.set.get("m42").status()).isEqualTo(Status.DOWN);
    assertThat(a.set.hash()).isEqualTo(b.set.hash());
  }

  @Test
  void setsThatDifferEverywhereStillConverge() {
    Side a = new Side("a");
    Side b = new Side("b");
    a.set.merge(members(0, 300));
    b.set.merge(members(200, 600));

    exchange(a, b);

    assertThat(a.set.size()).isEqualTo(600);
    assertThat(a.set.hash()).isEqualTo(b.set.hash());
  }

  @Test
  void bucketHashesFoldToTheSetHashAndBucketsPartitionTheSet() {
    MembershipSet set = new MembershipSet();
    set.merge(members(0, 1_000));
    for (int level = 0; level <= MembershipSet.FINE_LEVEL; level++) {
      long folded = 0;
      for (long h : set.bucketHashes(level)) {
        folded ^= h;
      }
      assertThat(folded).as("level %d", level).isEqualTo(set.hash());
      List<Integer> all = IntStream.range(0, 1 << level).boxed().toList();
      assertThat(set.digest(level, all)).hasSize(1_000);
    }
  }

  /** a starts a comparison with b; messages are delivered until none is left. */
  private static List<Object> exchange(Side a, Side b) {
    List<Object> traffic = new ArrayList<>();
    a.antiEntropy.tick(Duration.ofSeconds(5).toNanos(), List.of("b"));
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
        List<Object> out = new ArrayList<>(pair[0].sent);
        pair[0].sent.clear();
        for (Object m : out) {
          traffic.add(m);
          pair[1].receive(pair[0], m);
          moved = true;
        }
      }
    }
    return traffic;
  }

  private static List<Member> members(int from, int to) {
    List<Member> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(member(i, 1, Status.ALIVE));
    }
    return out;
  }

  private static Member member(int i, long version, Status status) {
    return new Member(new NodeId("m" + i, "10.0.0.1", 9000 + i, 1), version, status, "server");
  }

  private static OverlayHost host() {
    Random random = new Random(1);
    return (OverlayHost)
        Proxy.newProxyInstance(
            OverlayHost.class.getClassLoader(),
            new Class<?>[] {OverlayHost.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "random" -> random;
                  case "nanoTime" -> 0L;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static ActorContext context(ActorRef sender) {
    return (ActorContext)
        Proxy.newProxyInstance(
            ActorContext.class.getClassLoader(),
            new Class<?>[] {ActorContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("sender")) {
                return sender;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
