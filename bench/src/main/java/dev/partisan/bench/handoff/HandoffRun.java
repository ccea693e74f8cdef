package dev.partisan.bench.handoff;

import dev.partisan.bench.report.GcPauses;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One mode of the handoff scenario from start to finish: seed, start, idle phase, handoff phase,
 * stop. The N-1 seeded nodes form a cluster over their stores; the last node joins with handoff
 * paused (concurrency 0, riak's {@code transfer-limit 0}); a client on it runs at a fixed rate,
 * first with nothing else going on (but anti-entropy, with --aae), then while handoff moves its
 * share to it.
 *
 * <p>Where the nodes run is the {@link Placement}'s: all in this JVM ({@link InProcessCluster}), or
 * the seeded ones each in its own process ({@link ProcessCluster}); the joining node and its client
 * are always in this JVM, so the client calls its node in-process either way. Runs on the caller's
 * thread; the nodes and the client use their own.
 */
final class HandoffRun {
  private final HandoffScenario scenario;
  private final Placement placement;
  private final VolumeSeeder seeder;

  HandoffRun(HandoffScenario scenario, Placement placement) {
    this.scenario = scenario;
    this.placement = placement;
    this.seeder = new VolumeSeeder(scenario);
  }

  /** Runs {@code mode} with the stores under {@code dir}. */
  ModeResult run(ChannelMode mode, Path dir) throws Exception {
    String m = mode.label();
    System.out.printf(Locale.ROOT, "%n[%s] seeding %d MiB...%n", m, scenario.volumeMb());
    long seedStart = System.nanoTime();
    long seeded = seeder.seed(dir);
    System.out.printf(
        Locale.ROOT,
        "[%s] seeded %d objects on %s in %.1f s%n",
        m,
        seeded,
        String.join(", ", seeder.seededNodes()),
        (System.nanoTime() - seedStart) / 1e9);
    try (RunCluster cluster = placement.start(scenario, mode, dir)) {
      formCluster(m, cluster);
      ModeResult r = measure(mode, cluster);
      System.out.printf(Locale.ROOT, "[%s] %s%n", m, cluster.describe());
      printOutcome(r);
      return r;
    }
  }

  /**
   * The seeded nodes form the seeded ring (with --aae, their trees are then built); the last node
   * joins it with handoff paused everywhere, once it has the client's bucket properties.
   */
  private void formCluster(String mode, RunCluster cluster) throws Exception {
    List<RunNode> nodes = cluster.nodes();
    RunNode node1 = nodes.get(0);
    List<RunNode> seeded = nodes.subList(0, nodes.size() - 1);
    Polling.waitFor(
        "the nodes to see each other",
        60,
        () -> nodes.stream().allMatch(n -> now(n).upMembers() >= nodes.size()));
    List<String> owners = node1.formCluster(seeder.seededNodes());
    if (!owners.equals(seeder.seedRing().owners())) {
      throw new IllegalStateException("the formed ring differs from the seeded one");
    }
    node1.setClientProps();
    Polling.waitFor(
        "the ring and bucket properties to reach the seeded nodes",
        60,
        () ->
            seeded.stream()
                .map(HandoffRun::now)
                .allMatch(s -> s.ringMembers() == seeded.size() && s.clientProps()));
    if (scenario.store().aae()) {
      awaitTrees(mode, seeded);
    }
    KvNode joining = cluster.joining();
    joining.join(cluster.seed().host(), cluster.seed().port()).get(60, TimeUnit.SECONDS);
    Polling.waitFor(
        "the joining node to learn the bucket properties",
        60,
        () -> !joining.bucketProps(FixedRateLoad.key(0)).allowMult());
  }

  /** The node's state, counting no tree build (the waits do not need them). */
  private static NodeState now(RunNode n) {
    return n.state(Instant.now());
  }

  /** Waits (at most --max-handoff-seconds) until every seeded partition has its trees built. */
  private void awaitTrees(String mode, List<RunNode> seeded) throws InterruptedException {
    System.out.printf(Locale.ROOT, "[%s] building anti-entropy trees of the seeded data%n", mode);
    long start = System.nanoTime();
    boolean built =
        Polling.waitQuietly(
            scenario.maxHandoffSeconds(),
            () -> AntiEntropyLoad.trees(seeded).all(),
            mode,
            "the tree builds",
            () -> AntiEntropyLoad.trees(seeded).toString());
    if (!built) {
      throw new IllegalStateException(
          "anti-entropy trees not built within " + scenario.maxHandoffSeconds() + " s");
    }
    System.out.printf(
        Locale.ROOT, "[%s] trees built in %.1f s%n", mode, (System.nanoTime() - start) / 1e9);
  }

  /** The client on the joining node: its keys written, then the idle phase, then the handoff. */
  private ModeResult measure(ChannelMode mode, RunCluster cluster) throws Exception {
    String m = mode.label();
    List<RunNode> nodes = cluster.nodes();
    KvNode joining = cluster.joining();
    RequestOptions options = RequestOptions.defaults();
    byte[] value = new byte[scenario.clientValue()];
    new Random(3).nextBytes(value);
    writeClientKeys(joining, value, options);

    AntiEntropyLoad aae = new AntiEntropyLoad(nodes);
    double idleSeconds = scenario.idleSeconds();
    System.out.printf(Locale.ROOT, "[%s] idle phase %.0f s%n", m, idleSeconds);
    ModeResult.Phase idle;
    ModeResult.Phase during;
    boolean completed;
    try (GcPauses gc = new GcPauses();
        FixedRateLoad load =
            new FixedRateLoad(
                joining.client(),
                scenario.clientKeys(),
                value,
                scenario.getFraction(),
                scenario.rate(),
                options)) {
      aae.mark();
      gc.interval(); // pauses from here on
      Thread.sleep((long) (idleSeconds * 1000)); // the measured interval
      idle = phase(load, idleSeconds, aae, gc);
      System.out.printf(Locale.ROOT, "[%s] handoff phase (resuming transfers)%n", m);
      aae.mark();
      long start = System.nanoTime();
      long rateLimit = (long) (scenario.handoffRateMb() * 1024 * 1024);
      nodes.forEach(n -> n.resumeHandoff(rateLimit, scenario.concurrency()));
      completed =
          Polling.waitQuietly(
              scenario.maxHandoffSeconds(), () -> handoffDone(nodes), m, "the handoff", () -> "");
      during = phase(load, (System.nanoTime() - start) / 1e9, aae, gc);
    }
    NodeState totals = NodeState.sum(nodes.stream().map(HandoffRun::now).toList());
    long bytes = totals.bytesSent();
    long objects = totals.objectsSent();
    long transfers = totals.transfersCompleted();
    System.out.printf(
        Locale.ROOT,
        "[%s] %d transfers, %d objects; %s owns %d of %d partitions%n",
        m,
        transfers,
        objects,
        scenario.joiningNode(),
        joining.ring().ring().partitionsOwnedBy(scenario.joiningNode()).size(),
        scenario.ringSize());
    return new ModeResult(mode, 0, idle, during, bytes, objects, completed);
  }

  /** The phase that ends now: the client's figures since the last phase, and anti-entropy's. */
  private static ModeResult.Phase phase(
      FixedRateLoad load, double seconds, AntiEntropyLoad aae, GcPauses gc) {
    FixedRateLoad.Stats[] s = load.interval();
    return new ModeResult.Phase(
        s[0], s[1], seconds, aae.sinceMark(), ResultDir.loadAverage1m(), gc.interval());
  }

  private void printOutcome(ModeResult r) {
    System.out.printf(
        Locale.ROOT,
        "[%s] handoff %s: %.1f MiB in %.1f s; get p50/p99 idle %.0f/%.0f us, during"
            + " handoff %.0f/%.0f us%n",
        r.mode().label(),
        r.completed() ? "complete" : "INCOMPLETE",
        r.handoffMib(),
        r.handoff().seconds(),
        r.idle().get().percentile(50),
        r.idle().get().percentile(99),
        r.handoff().get().percentile(50),
        r.handoff().get().percentile(99));
    System.out.printf(
        Locale.ROOT,
        "[%s] JVM: idle %s; during the handoff %s%n",
        r.mode().label(),
        r.idle().gc().describe(),
        r.handoff().gc().describe());
    if (scenario.store().aae()) {
      System.out.printf(
          Locale.ROOT,
          "[%s] anti-entropy: %s idle, %s during the handoff%n",
          r.mode().label(),
          r.idle().aae(),
          r.handoff().aae());
    }
  }

  private boolean handoffDone(List<RunNode> nodes) {
    return nodes.stream().allMatch(n -> n.settled(scenario.nodes()));
  }

  private void writeClientKeys(KvNode node, byte[] value, RequestOptions options) {
    Semaphore window = new Semaphore(32);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < scenario.clientKeys(); i++) {
      window.acquireUninterruptibly();
      all.add(
          node.client()
              .put(FixedRateLoad.key(i), Content.of(value), CausalContext.EMPTY, options)
              .whenComplete((r, e) -> window.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .orTimeout(5, TimeUnit.MINUTES)
        .join();
  }
}
