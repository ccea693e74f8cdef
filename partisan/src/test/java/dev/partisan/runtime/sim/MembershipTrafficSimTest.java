package dev.partisan.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.sim.SimPings.BroadcastPing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the membership costs per join and per tick, on the production overlay code in the simulator:
 * news batched per period costs fewer broadcasts for the same outcome, heartbeats go only to
 * neighbours sent nothing else lately, and a silent neighbour is still judged down.
 */
class MembershipTrafficSimTest {
  private static final long SECOND = 1_000_000_000L;

  private static SimCluster cluster(int nodes, Duration newsBatch) {
    SimConfig base = SimConfig.defaults("hyparview", nodes, 3);
    FailureDetection fd = base.failureDetection().withNewsBatchInterval(newsBatch);
    return new SimCluster(base.withTimings(fd, Duration.ofMillis(10), base.settleMax()));
  }

  /** Node 0 starts; the others join through it, one every 10 ms; then {@code settle} seconds. */
  private static void form(SimCluster c, int settleSeconds) {
    SimNode first = c.start();
    int n = c.config().nodes();
    for (int i = 1; i < n; i++) {
      c.sim().after(i * 10_000_000L, () -> c.join(c.start(), first));
    }
    c.sim().runFor(n * 10_000_000L + settleSeconds * SECOND);
  }

  private static long delivered(SimCluster c, String type) {
    return c.network().deliveredByType().getOrDefault(type, 0L);
  }

  @Test
  void batchedJoinNewsCostsFewerBroadcastsForTheSameMembers() {
    SimCluster batched = cluster(120, Duration.ofMillis(100));
    SimCluster unbatched = cluster(120, Duration.ZERO);
    form(batched, 10);
    form(unbatched, 10);
    for (SimCluster c : List.of(batched, unbatched)) {
      Topology t = c.topology();
      assertThat(t.components()).isEqualTo(1);
      assertThat(t.membersAgree()).as("every node sees every node up").isTrue();
    }
    long withBatches = delivered(batched, "Gossip/Delta");
    long perJoin = delivered(unbatched, "Gossip/Delta");
    // One contact takes a join every 10 ms: a 100 ms period carries about ten of them per batch.
    assertThat(withBatches).as("membership payloads, batched").isLessThan(perJoin / 3);
  }

  @Test
  void heartbeatsGoWhereNothingElseWentAndSilenceIsStillDetected() {
    SimCluster c = cluster(16, Duration.ofMillis(100));
    form(c, 20);
    List<SimNode> live = c.live();
    int links = 0;
    for (SimNode n : live) {
      links += n.overlay().neighbours().size();
    }
    long ticks = 20; // 10 s at the 500 ms heartbeat interval

    long before = delivered(c, "Heartbeat");
    c.sim().runFor(10 * SECOND);
    long quiet = delivered(c, "Heartbeat") - before;
    assertThat(quiet)
        .as("a quiet cluster heartbeats nearly every link every tick (%d links)", links)
        .isGreaterThan(links * ticks * 7 / 10)
        .isLessThanOrEqualTo(links * ticks);

    // Busy: a broadcast every 20 ms keeps Plumtree's payloads and IHAVEs on every link.
    before = delivered(c, "Heartbeat");
    for (int i = 0; i < 500; i++) {
      SimNode origin = live.get(i % live.size());
      long id = i;
      c.sim()
          .after(
              i * 20_000_000L,
              () -> origin.overlay().broadcast(SimPings.PROBE, new BroadcastPing(id)));
    }
    c.sim().runFor(10 * SECOND);
    long busy = delivered(c, "Heartbeat") - before;
    assertThat(busy).as("heartbeats while other traffic flows").isLessThan(quiet / 4);

    SimNode victim = live.get(5);
    String name = victim.self().name();
    List<SimNode> neighbours =
        live.stream().filter(n -> n.overlay().neighbours().contains(name)).toList();
    assertThat(neighbours).isNotEmpty();
    c.crash(victim);
    c.sim().runFor(4 * SECOND); // the 3 s detection time and a tick
    for (SimNode n : neighbours) {
      assertThat(n.overlay().isUp(name)).as("%s judged its silent neighbour", n.self()).isFalse();
    }
    c.sim().runFor(3 * SECOND);
    for (SimNode n : c.live()) {
      assertThat(n.overlay().isUp(name)).as("%s heard the rumour", n.self()).isFalse();
    }
  }

  @Test
  void aLeaveIsPassedOnByTwoNeighboursAndReachesEveryone() {
    SimCluster c = cluster(40, Duration.ofMillis(200));
    form(c, 20);
    SimNode leaver = c.live().get(7);
    String name = leaver.self().name();
    assertThat(leaver.overlay().neighbours()).hasSizeGreaterThan(2);
    long before = delivered(c, "Gossip/Delta");
    c.leave(leaver);
    c.sim().runFor(3 * SECOND);
    for (SimNode n : c.live()) {
      assertThat(n.overlay().isUp(name)).as("%s knows it left", n.self()).isFalse();
    }
    long copies = delivered(c, "Gossip/Delta") - before;
    // Two broadcasts of the departure, at most two copies per node each (one per neighbour
    // passing it on: about three times as many).
    assertThat(copies).isLessThanOrEqualTo(2L * 2 * (c.live().size()));
  }
}
