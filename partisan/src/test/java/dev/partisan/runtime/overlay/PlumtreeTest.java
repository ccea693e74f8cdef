package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.overlay.HyParViewMessages.Gossip;
import dev.partisan.runtime.overlay.HyParViewMessages.Graft;
import dev.partisan.runtime.overlay.HyParViewMessages.IHave;
import dev.partisan.runtime.overlay.HyParViewMessages.Prune;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plumtree alone, with a fake sender and a manual clock: eager push at once, IHAVE batched on its
 * own timer, grafts after a timeout that doubles per try up to a cap, one graft per missing message
 * at a time, and the counters.
 */
class PlumtreeTest {
  private static final long MS = 1_000_000L;
  private static final Plumtree.Timings TIMINGS =
      new Plumtree.Timings(100 * MS, 300 * MS, 1_000 * MS);

  private record Sent(String to, Object message) {}

  private final List<Sent> sent = new ArrayList<>();
  private final List<Long> wakeUps = new ArrayList<>();
  private final List<Gossip> delivered = new ArrayList<>();
  private final BroadcastCounters counters = new BroadcastCounters();
  private long now = 1_000 * MS;
  private Plumtree tree;

  @BeforeEach
  void setUp() {
    tree =
        new Plumtree(
            "me",
            1,
            (to, m) -> sent.add(new Sent(to, m)),
            (g, from) -> delivered.add(g),
            TIMINGS,
            () -> now,
            delay -> wakeUps.add(now + delay),
            counters);
    for (String n : List.of("a", "b", "c", "d")) {
      tree.neighbourUp(n);
    }
  }

  @Test
  void aBroadcastGoesEagerlyToEveryTreeNeighbourAtOnceWithNoTimer() {
    tree.broadcast("news");

    assertThat(sent).extracting(Sent::to).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(sent).allMatch(s -> s.message() instanceof Gossip);
    assertThat(wakeUps).as("no lazy link: nothing to wait for").isEmpty();
    assertThat(delivered).hasSize(1);
    assertThat(counters.snapshot()).isEqualTo(new BroadcastStats(4, 0, 0, 0));
  }

  @Test
  void aDuplicatePrunesItsLinkAndTheLinkThenGetsOnlyBatchedAnnouncements() {
    tree.onGossip(gossip("x", 1), "a");
    tree.onGossip(gossip("x", 1), "b"); // duplicate
    assertThat(sent).contains(new Sent("b", new Prune()));
    assertThat(tree.lazyPeers()).containsExactly("b");
    sent.clear();

    tree.onGossip(gossip("x", 2), "a");
    tree.onGossip(gossip("x", 3), "a");
    assertThat(sent).extracting(Sent::to).containsOnly("c", "d"); // eager copies only, at once
    assertThat(wakeUps).containsExactly(now + TIMINGS.lazyPushNanos());

    sent.clear();
    now += TIMINGS.lazyPushNanos() - 1;
    tree.onTimer();
    assertThat(sent).as("not yet due").isEmpty();
    now += 1;
    tree.onTimer();
    assertThat(sent).containsExactly(new Sent("b", new IHave(List.of("x:2", "x:3"))));
    assertThat(counters.snapshot().lazy()).isEqualTo(1);
    assertThat(counters.snapshot().prune()).isEqualTo(1);
  }

  @Test
  void copiesPushedBeforeOurPruneArrivedAreNotPrunedAgainUntilAGraftTimeoutPassed() {
    tree.onGossip(gossip("x", 1), "a");
    tree.onGossip(gossip("x", 2), "b");
    tree.onGossip(gossip("x", 1), "b"); // duplicate: b is pruned
    tree.onGossip(gossip("x", 2), "a"); // duplicate: a is pruned
    sent.clear();
    tree.onGossip(gossip("x", 1), "b"); // pushed by b before our prune reached it
    tree.onGossip(gossip("x", 2), "b");
    assertThat(sent).as("b is lazy already and its prune on its way").isEmpty();
    assertThat(counters.snapshot().prune()).isEqualTo(2);

    now += TIMINGS.graftTimeoutNanos();
    tree.onGossip(gossip("x", 1), "b");
    assertThat(sent)
        .as("still pushing a graft timeout later: pruned again")
        .containsExactly(new Sent("b", new Prune()));

    sent.clear();
    tree.onGraft(new Graft(List.of()), "b"); // b grafted the link back into the tree
    tree.onGossip(gossip("x", 2), "b");
    assertThat(sent)
        .as("a link eager again is pruned at its first duplicate")
        .containsExactly(new Sent("b", new Prune()));
  }

  @Test
  void aMessageAnnouncedButNotReceivedIsGraftedAfterTheTimeoutFromOneAnnouncer() {
    tree.onIHave(new IHave(List.of("x:7")), "c");
    assertThat(wakeUps).containsExactly(now + TIMINGS.graftTimeoutNanos());
    now += TIMINGS.graftTimeoutNanos() - 1;
    tree.onTimer();
    assertThat(sent).isEmpty();

    now += 1;
    tree.onTimer();
    assertThat(sent).containsExactly(new Sent("c", new Graft(List.of("x:7"))));
    assertThat(tree.eagerPeers()).contains("c");

    sent.clear();
    tree.onGossip(gossip("x", 7), "c");
    assertThat(delivered).hasSize(1);
    assertThat(tree.missingIds()).isEmpty();
    now += TIMINGS.graftTimeoutMaxNanos();
    tree.onTimer();
    assertThat(sent).noneMatch(s -> s.message() instanceof Graft);
  }

  @Test
  void aMessageThatArrivesBeforeTheTimeoutIsNeverGrafted() {
    tree.onIHave(new IHave(List.of("x:7")), "c");
    tree.onGossip(gossip("x", 7), "a");
    now += TIMINGS.graftTimeoutMaxNanos();
    tree.onTimer();
    assertThat(sent).noneMatch(s -> s.message() instanceof Graft);
    assertThat(counters.snapshot().graft()).isZero();
  }

  @Test
  void aBurstOfAnnouncementsForOneMessageCostsOneGraftAtATimeWithADoublingCappedWait() {
    for (String announcer : List.of("a", "b", "c", "d")) {
      tree.onIHave(new IHave(List.of("x:9")), announcer);
    }
    List<Long> graftTimes = new ArrayList<>();
    List<String> graftedPeers = new ArrayList<>();
    long end = now + 10_000 * MS;
    while (now < end) {
      now += MS;
      int before = sent.size();
      tree.onTimer();
      for (Sent s : sent.subList(before, sent.size())) {
        assertThat(s.message()).isEqualTo(new Graft(List.of("x:9")));
        graftTimes.add(now);
        graftedPeers.add(s.to());
      }
    }
    assertThat(graftedPeers)
        .as("one announcer per try, the others in turn")
        .hasSize(Plumtree.MAX_GRAFTS_PER_MESSAGE)
        .startsWith("a", "b", "c", "d", "a");
    List<Long> waits = new ArrayList<>();
    for (int i = 1; i < graftTimes.size(); i++) {
      waits.add((graftTimes.get(i) - graftTimes.get(i - 1)) / MS);
    }
    assertThat(waits)
        .as("wait before each further graft, ms")
        .containsExactly(300L, 600L, 1000L, 1000L, 1000L);
    assertThat(tree.missingIds()).as("given up after the last try").isEmpty();
  }

  @Test
  void graftsThatFallDueTogetherGoToAPeerInOneMessage() {
    tree.onIHave(new IHave(List.of("x:1", "x:2", "y:5")), "b");
    now += TIMINGS.graftTimeoutNanos();
    tree.onTimer();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).to()).isEqualTo("b");
    assertThat(((Graft) sent.get(0).message()).ids()).containsExactly("x:1", "x:2", "y:5");
  }

  @Test
  void anAnnouncerThatLeavesTheViewIsNotGraftedAndAStrangersAnnouncementIsIgnored() {
    tree.onIHave(new IHave(List.of("x:1")), "b");
    tree.onIHave(new IHave(List.of("x:2")), "stranger");
    tree.neighbourDown("b");
    now += TIMINGS.graftTimeoutNanos();
    tree.onTimer();
    assertThat(sent).isEmpty();
    assertThat(tree.missingIds()).isEmpty();
  }

  @Test
  void aGraftResendsWhatWasAskedForAndMakesTheLinkEager() {
    tree.onGossip(gossip("x", 1), "a");
    tree.onGossip(gossip("x", 1), "b"); // b becomes lazy
    sent.clear();

    tree.onGraft(new Graft(List.of("x:1", "x:404")), "b");

    assertThat(sent).containsExactly(new Sent("b", new Gossip("x", 1, 0, "p1")));
    assertThat(tree.eagerPeers()).contains("b");
  }

  @Test
  void graftWaitsDoubleAndStopAtTheCap() {
    assertThat(TIMINGS.graftWait(0)).isEqualTo(300 * MS);
    assertThat(TIMINGS.graftWait(1)).isEqualTo(600 * MS);
    assertThat(TIMINGS.graftWait(2)).isEqualTo(1_000 * MS);
    assertThat(TIMINGS.graftWait(60)).isEqualTo(1_000 * MS);
  }

  private static Gossip gossip(String origin, long id) {
    return new Gossip(origin, id, 0, "p" + id);
  }
}
