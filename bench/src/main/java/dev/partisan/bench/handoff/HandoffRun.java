package dev.partisan.bench.handoff;

import dev.partisan.bench.report.GcPauses;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.ring.MemberStatus;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.transport.LinkEmulator;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>Threads: the nodes share one Netty event loop group of {@link #EVENT_LOOP_THREADS} and, in the
 * modes with traffic classes, one bulk group of a node's {@code bulk_event_loop_threads} (1 unless
 * {@code --runtime} says otherwise), so the JVM has the event loops of one node (as a node's
 * defaults on two cores) whatever the node count; each node has its own vnode executors, timer and
 * actors. Runs on the caller's thread; the nodes and the client use their own.
 */
final class HandoffRun {
  /** Event loops shared by all nodes: one node's default on two cores. */
  static final int EVENT_LOOP_THREADS = 2;

  private final HandoffScenario scenario;
  private final VolumeSeeder seeder;

  HandoffRun(HandoffScenario scenario) {
    this.scenario = scenario;
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
    EventLoopGroup group = NettyTransports.newGroup(EVENT_LOOP_THREADS, "bench-handoff");
    EventLoopGroup bulk =
        mode.trafficClasses()
            ? NettyTransports.newGroup(
                scenario.runtime().bulkEventLoopThreads(), "bench-handoff-bulk", TrafficClass.BULK)
            : null;
    List<KvNode> nodes = new ArrayList<>();
    // One emulated path per node pair, shared by every connection of the pair (see runtime.md).
    double rttMs = scenario.rttMs();
    long bandwidthMbit = scenario.bandwidthMbit();
    LinkEmulator link =
        rttMs > 0 || bandwidthMbit > 0
            ? LinkEmulator.of(Duration.ofNanos((long) (rttMs * 1e6)), bandwidthMbit * 1_000_000)
            : null;
    String secret = RuntimeConfig.newClusterSecret(); // one per run's cluster
    try {
      for (int i = 1; i <= scenario.nodes(); i++) {
        String name = HandoffScenario.nodeName(i);
        KvConfig config =
            scenario
                .store()
                .kvConfig(
                    dir.resolve(name),
                    scenario.ringSize(),
                    mode.requestParallelism(scenario.parallelism()));
        RuntimeConfig.Builder runtime =
            RuntimeConfig.builder(name)
                .clusterSecret(secret)
                .sharedEventLoopGroup(group)
                .sharedBulkEventLoopGroup(bulk)
                .overlay(scenario.overlay())
                .linkEmulator(link);
        if (scenario.overlay().equals("client-server") && name.equals(scenario.joiningNode())) {
          runtime.role("client"); // the joining node, where the client runs, is a client
        }
        scenario.runtime().apply(runtime);
        nodes.add(KvNode.start(config, mode.configure(runtime, config)));
      }
      formCluster(m, nodes);
      ModeResult r = measure(mode, nodes);
      if (link != null) {
        System.out.printf(Locale.ROOT, "[%s] emulated link bytes: %s%n", m, link.bytesCarried());
      }
      printOutcome(r);
      return r;
    } finally {
      for (KvNode n : nodes) {
        n.close();
      }
      shutDown(group);
      if (bulk != null) {
        shutDown(bulk);
      }
      if (link != null) {
        link.close();
      }
    }
  }

  private static void shutDown(EventLoopGroup g) {
    g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /**
   * The seeded nodes form the seeded ring (with --aae, their trees are then built); the last node
   * joins it with handoff paused everywhere, once it has the client's bucket properties.
   */
  private void formCluster(String mode, List<KvNode> nodes) throws Exception {
    KvNode node1 = nodes.get(0);
    KvNode joining = nodes.get(nodes.size() - 1);
    List<KvNode> seeded = nodes.subList(0, nodes.size() - 1);
    NodeId seed = node1.runtime().self();
    for (KvNode n : nodes.subList(1, nodes.size())) {
      n.runtime().join(seed.host(), seed.port()).get(20, TimeUnit.SECONDS);
    }
    Polling.waitFor(
        "the nodes to see each other",
        60,
        () ->
            nodes.stream().allMatch(n -> n.runtime().overlay().upMembers().size() >= nodes.size()));
    node1.formCluster(seeder.seededNodes()).get(20, TimeUnit.SECONDS);
    if (!node1.ring().ring().owners().equals(seeder.seedRing().owners())) {
      throw new IllegalStateException("the formed ring differs from the seeded one");
    }
    node1.setBucketProps("default", "client", BucketProps.DEFAULTS.withAllowMult(false));
    Polling.waitFor(
        "the ring and bucket properties to reach the seeded nodes",
        60,
        () ->
            seeded.stream()
                .allMatch(
                    n ->
                        n.ring().ring().members().size() == seeded.size()
                            && !n.bucketProps(FixedRateLoad.key(0)).allowMult()));
    if (scenario.store().aae()) {
      awaitTrees(mode, seeded);
    }
    joining.join(seed.host(), seed.port()).get(60, TimeUnit.SECONDS);
    Polling.waitFor(
        "the joining node to learn the bucket properties",
        60,
        () -> !joining.bucketProps(FixedRateLoad.key(0)).allowMult());
  }

  /** Waits (at most --max-handoff-seconds) until every seeded partition has its trees built. */
  private void awaitTrees(String mode, List<KvNode> seeded) throws InterruptedException {
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
  private ModeResult measure(ChannelMode mode, List<KvNode> nodes) throws Exception {
    String m = mode.label();
    KvNode joining = nodes.get(nodes.size() - 1);
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
      nodes.forEach(n -> n.setHandoffRateLimit(rateLimit));
      nodes.forEach(n -> n.setHandoffConcurrency(scenario.concurrency()));
      completed =
          Polling.waitQuietly(
              scenario.maxHandoffSeconds(), () -> handoffDone(nodes), m, "the handoff", () -> "");
      during = phase(load, (System.nanoTime() - start) / 1e9, aae, gc);
    }
    long bytes = 0;
    long objects = 0;
    long transfers = 0;
    for (KvNode n : nodes) {
      HandoffStatus s = n.handoffStatus();
      bytes += s.bytesSent();
      objects += s.objectsSent();
      transfers += s.completed();
    }
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

  private boolean handoffDone(List<KvNode> nodes) {
    for (KvNode n : nodes) {
      RingState r = n.ring().ring();
      if (!r.transfers().isEmpty()
          || r.members().size() != scenario.nodes()
          || r.members().values().stream().anyMatch(s -> s != MemberStatus.VALID)
          || !n.transfers().isEmpty()) {
        return false;
      }
    }
    return true;
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
