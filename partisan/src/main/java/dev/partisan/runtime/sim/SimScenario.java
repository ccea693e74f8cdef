package dev.partisan.runtime.sim;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.sim.SimPings.BroadcastPing;
import dev.partisan.runtime.sim.SimPings.UnicastPing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The scenarios: {@code joins} (the cluster forms by staggered joins through a few contacts),
 * {@code churn} (after forming, a fraction of the nodes departs, half by a graceful leave and half
 * by a crash, while as many new nodes join through random live members, at random times over a
 * period) and {@code fail-half} (after forming, half the nodes crash at once). Each waits for
 * convergence, then measures broadcast and routed unicast among the live nodes.
 *
 * <p>Threading: runs the simulation on the calling thread.
 */
public final class SimScenario {
  public static final List<String> NAMES = List.of("joins", "churn", "fail-half");

  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final int STABLE_SAMPLES = 3;
  private static final Duration MEASURE_WAIT = Duration.ofSeconds(15);

  private final SimCluster cluster;
  private final Simulation sim;
  private final SplittableRandom random;
  private final Consumer<String> progress;
  private long pingIds;

  private SimScenario(SimConfig config, Consumer<String> progress) {
    this.cluster = new SimCluster(config);
    this.sim = cluster.sim();
    this.random = cluster.random();
    this.progress = progress;
  }

  /** Runs {@code scenario} with {@code config}; {@code progress} gets a line per phase. */
  public static SimResult run(String scenario, SimConfig config, Consumer<String> progress) {
    return run(scenario, config, progress, () -> -1);
  }

  /**
   * As {@link #run(String, SimConfig, Consumer)}; {@code heapMiB} is read at the end, while the
   * simulated cluster is still reachable (e.g. heap in use after a collection).
   */
  public static SimResult run(
      String scenario, SimConfig config, Consumer<String> progress, LongSupplier heapMiB) {
    if (!NAMES.contains(scenario)) {
      throw new IllegalArgumentException(
          "unknown scenario '" + scenario + "'; choose from " + NAMES);
    }
    return new SimScenario(config, progress).execute(scenario, heapMiB);
  }

  private SimResult execute(String scenario, LongSupplier heapMiB) {
    long wallStart = System.nanoTime();
    SimConfig c = cluster.config();
    form(c);
    double[] converge = settle("formed");
    switch (scenario) {
      case "churn" -> {
        churn(c);
        converge = settle("churned");
      }
      case "fail-half" -> {
        failHalf();
        converge = settle("half failed");
      }
      default -> {}
    }
    Topology end = cluster.topology();
    int[] gaps = Topology.membershipGaps(cluster.live(), cluster.nodes());
    double[] bcast = measureBroadcasts(c.broadcasts());
    double[] ucast = measureUnicasts(c.pairs());
    double wall = (System.nanoTime() - wallStart) / 1e9;
    long heap = heapMiB.getAsLong();
    return new SimResult(
        scenario,
        c.overlay().kind(),
        c.nodes(),
        c.seed(),
        converge[0],
        converge[1],
        end,
        gaps[0],
        gaps[1],
        bcast[0],
        bcast[1],
        ucast[0],
        ucast[1],
        (int) ucast[2],
        cluster.recorder().failures(),
        sim.now() / 1e9,
        wall,
        sim.executed(),
        cluster.network().delivered(),
        cluster.network().digest(),
        heap);
  }

  /** Node 0 starts alone; the others join one per interval, through one of the contacts. */
  private void form(SimConfig c) {
    SimNode first = cluster.start();
    long interval = c.joinInterval().toNanos();
    for (int i = 1; i < c.nodes(); i++) {
      int index = i;
      sim.after(
          i * interval,
          () -> {
            List<SimNode> all = cluster.nodes();
            SimNode contact =
                index < c.contacts()
                    ? first
                    : all.get(random.nextInt(Math.min(c.contacts(), all.size())));
            cluster.join(cluster.start(), contact);
          });
    }
    sim.runFor((c.nodes() - 1) * interval);
  }

  /** Departures (alternately leave and crash) and as many arrivals, at random times. */
  private void churn(SimConfig c) {
    int k = (int) Math.round(c.nodes() * c.churnFraction());
    long period = c.churnPeriod().toNanos();
    for (int i = 0; i < k; i++) {
      boolean graceful = i % 2 == 0;
      sim.after(
          random.nextLong(period),
          () -> {
            SimNode victim = cluster.randomLive();
            if (victim != null) {
              if (graceful) {
                cluster.leave(victim);
              } else {
                cluster.crash(victim);
              }
            }
          });
      sim.after(
          random.nextLong(period),
          () -> {
            SimNode contact = cluster.randomLive();
            if (contact != null) {
              cluster.join(cluster.start(), contact);
            }
          });
    }
    sim.runFor(period);
    progress.accept(String.format(Locale.ROOT, "churn: %d left or crashed, %d joined", k, k));
  }

  private void failHalf() {
    List<SimNode> live = new ArrayList<>(cluster.live());
    int k = live.size() / 2;
    for (int i = 0; i < k; i++) {
      SimNode victim = live.remove(random.nextInt(live.size()));
      cluster.crash(victim);
    }
    progress.accept("fail-half: crashed " + k);
  }

  /**
   * Runs one virtual second at a time until both the graph ({@link Topology#graphConverged}) and
   * the membership ({@link Topology#membersAgree}) have held for {@link #STABLE_SAMPLES} samples in
   * a row, or the settle bound passes. Returns, for each, the seconds from the phase start to the
   * first sample of its final streak, or NaN if it did not hold at the end.
   */
  private double[] settle(String phase) {
    long start = sim.now();
    long deadline = start + cluster.config().settleMax().toNanos();
    Streak graph = new Streak();
    Streak members = new Streak();
    Topology t = cluster.topology();
    while (sim.now() < deadline
        && (graph.count < STABLE_SAMPLES || members.count < STABLE_SAMPLES)) {
      sim.runFor(SECOND);
      t = cluster.topology();
      graph.sample(t.graphConverged(), sim.now());
      members.sample(t.membersAgree(), sim.now());
    }
    double[] seconds = {graph.secondsSince(start), members.secondsSince(start)};
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s: t=%.0fs graph converged after %.1fs, members after %.1fs; live %d, components %d,"
                + " views %d..%.1f, %d events",
            phase,
            sim.now() / 1e9,
            seconds[0],
            seconds[1],
            t.live(),
            t.components(),
            t.minView(),
            t.meanView(),
            sim.executed()));
    // Where the messages went (cumulative, by type): the per-join multipliers show here.
    progress.accept("  delivered by type: " + cluster.network().deliveredByType());
    return seconds;
  }

  /** Consecutive samples at which a condition held, and when the run of them began. */
  private static final class Streak {
    int count;
    long since;

    void sample(boolean holds, long now) {
      if (!holds) {
        count = 0;
      } else if (count++ == 0) {
        since = now;
      }
    }

    double secondsSince(long start) {
      return count > 0 ? (since - start) / 1e9 : Double.NaN;
    }
  }

  /** {delivered fraction, payload copies per broadcast per live node}. */
  private double[] measureBroadcasts(int count) {
    List<SimNode> live = cluster.live();
    long copiesBefore = cluster.network().broadcastCopies();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = ++pingIds;
      ids.add(id);
      SimNode origin = live.get(random.nextInt(live.size()));
      sim.after(
          i * 100_000_000L,
          () -> origin.overlay().broadcast(SimPings.PROBE, new BroadcastPing(id)));
    }
    sim.runFor(count * 100_000_000L + MEASURE_WAIT.toNanos());
    long reached = 0;
    for (long id : ids) {
      for (SimNode n : live) {
        if (cluster.recorder().broadcastReceivers(id).contains(n.self().name())) {
          reached++;
        }
      }
    }
    long copies = cluster.network().broadcastCopies() - copiesBefore;
    double slots = (double) count * live.size();
    return new double[] {reached / slots, copies / slots};
  }

  /** {delivered fraction, mean hops, max hops} of routed unicasts between random live pairs. */
  private double[] measureUnicasts(int count) {
    List<SimNode> live = cluster.live();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = ++pingIds;
      ids.add(id);
      SimNode from = live.get(random.nextInt(live.size()));
      SimNode to = live.get(random.nextInt(live.size()));
      while (to == from) {
        to = live.get(random.nextInt(live.size()));
      }
      ActorRef target = ActorRef.of(to.self().name(), SimPings.PROBE);
      sim.after(i * 10_000_000L, () -> from.send(target, new UnicastPing(id)));
    }
    sim.runFor(count * 10_000_000L + MEASURE_WAIT.toNanos());
    int delivered = 0;
    long hops = 0;
    int maxHops = 0;
    for (long id : ids) {
      Integer h = cluster.recorder().unicastHops(id);
      if (h != null) {
        delivered++;
        hops += h;
        maxHops = Math.max(maxHops, h);
      }
    }
    return new double[] {
      (double) delivered / count, delivered == 0 ? Double.NaN : (double) hops / delivered, maxHops
    };
  }
}
