package dev.partisan.bench.handoff;

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
import java.util.function.BooleanSupplier;

/**
 * One mode of the handoff scenario from start to finish: seed, start, idle phase, handoff phase,
 * stop. node1 and node2 form a cluster over the seeded stores; node3 joins with handoff paused
 * (concurrency 0, riak's {@code transfer-limit 0}); a client on node3 runs at a fixed rate, first
 * with nothing else going on, then while handoff moves node3's share to it. Runs on the caller's
 * thread; the nodes and the client use their own.
 */
final class HandoffRun {
  private final HandoffScenario scenario;
  private final VolumeSeeder seeder;

  HandoffRun(HandoffScenario scenario) {
    this.scenario = scenario;
    this.seeder = new VolumeSeeder(scenario);
  }

  private KvConfig config(Path dir, int handoffConcurrency, String mode) {
    return KvConfig.builder()
        // The store sends requests keyed by partition: more lanes keep each partition's order.
        .requestParallelism(mode.equals("channels-parallel-affinity") ? scenario.parallelism() : 1)
        .dataDir(dir)
        .ringSize(scenario.ringSize())
        .defaultTimeout(Duration.ofSeconds(10))
        .ringTickInterval(Duration.ofMillis(500))
        .handoffInterval(Duration.ofSeconds(1))
        .handoffConcurrency(handoffConcurrency)
        // Tree builds over the seeded volume would compete for the two cores with what is
        // measured; anti-entropy has its own channel but is not the subject here.
        .aaeEnabled(false)
        .build();
  }

  /** Runs {@code mode} with the stores under {@code dir}. */
  ModeResult run(String mode, Path dir) throws Exception {
    boolean baseline = mode.equals("baseline");
    System.out.printf(Locale.ROOT, "%n[%s] seeding %d MiB...%n", mode, scenario.volumeMb());
    long seeded = seeder.seed(dir);
    System.out.printf(Locale.ROOT, "[%s] seeded %d objects x 3 replicas%n", mode, seeded);
    EventLoopGroup group = NettyTransports.newGroup(2, "bench-handoff");
    List<KvNode> nodes = new ArrayList<>();
    // One emulated path per node pair, shared by every connection of the pair (see runtime.md).
    double rttMs = scenario.rttMs();
    long bandwidthMbit = scenario.bandwidthMbit();
    LinkEmulator link =
        rttMs > 0 || bandwidthMbit > 0
            ? LinkEmulator.of(Duration.ofNanos((long) (rttMs * 1e6)), bandwidthMbit * 1_000_000)
            : null;
    try {
      for (int i = 1; i <= 3; i++) {
        String name = "node" + i;
        nodes.add(
            KvNode.start(
                config(dir.resolve(name), 0, mode),
                runtimeConfig(name, group, baseline).linkEmulator(link)));
      }
      formCluster(nodes);
      ModeResult r = measure(mode, nodes);
      if (link != null) {
        System.out.printf(Locale.ROOT, "[%s] emulated link bytes: %s%n", mode, link.bytesCarried());
      }
      printOutcome(r);
      return r;
    } finally {
      for (KvNode n : nodes) {
        n.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      if (link != null) {
        link.close();
      }
    }
  }

  /**
   * node1 and node2 form the seeded ring; node3 joins it with handoff paused everywhere, once it
   * has the client's bucket properties.
   */
  private void formCluster(List<KvNode> nodes) throws Exception {
    KvNode node1 = nodes.get(0);
    KvNode node3 = nodes.get(2);
    NodeId seed = node1.runtime().self();
    for (KvNode n : nodes.subList(1, 3)) {
      n.runtime().join(seed.host(), seed.port()).get(20, TimeUnit.SECONDS);
    }
    waitFor(
        "the three nodes to see each other",
        60,
        () -> nodes.stream().allMatch(n -> n.runtime().overlay().upMembers().size() >= 3));
    node1.formCluster(List.of("node1", "node2")).get(20, TimeUnit.SECONDS);
    if (!node1.ring().ring().owners().equals(seeder.seedRing().owners())) {
      throw new IllegalStateException("the formed ring differs from the seeded one");
    }
    node1.setBucketProps("default", "client", BucketProps.DEFAULTS.withAllowMult(false));
    waitFor(
        "the ring and bucket properties to reach node2",
        60,
        () ->
            nodes.get(1).ring().ring().members().size() == 2
                && !nodes.get(1).bucketProps(FixedRateLoad.key(0)).allowMult());
    // node3 joins with handoff paused everywhere.
    node3.join(seed.host(), seed.port()).get(60, TimeUnit.SECONDS);
    waitFor(
        "node3 to learn the bucket properties",
        60,
        () -> !node3.bucketProps(FixedRateLoad.key(0)).allowMult());
  }

  /** The client on node3: its keys written, then the idle phase, then the handoff phase. */
  private ModeResult measure(String mode, List<KvNode> nodes) throws Exception {
    KvNode node3 = nodes.get(2);
    RequestOptions options = RequestOptions.defaults();
    byte[] value = new byte[scenario.clientValue()];
    new Random(3).nextBytes(value);
    writeClientKeys(node3, value, options);

    double idleSeconds = scenario.idleSeconds();
    System.out.printf(Locale.ROOT, "[%s] idle phase %.0f s%n", mode, idleSeconds);
    FixedRateLoad.Stats[] idle;
    FixedRateLoad.Stats[] during;
    double handoffSeconds;
    boolean completed;
    try (FixedRateLoad load =
        new FixedRateLoad(
            node3.client(),
            scenario.clientKeys(),
            value,
            scenario.getFraction(),
            scenario.rate(),
            options)) {
      Thread.sleep((long) (idleSeconds * 1000)); // the measured interval
      idle = load.interval();
      System.out.printf(Locale.ROOT, "[%s] handoff phase (resuming transfers)%n", mode);
      long start = System.nanoTime();
      long rateLimit = (long) (scenario.handoffRateMb() * 1024 * 1024);
      nodes.forEach(n -> n.setHandoffRateLimit(rateLimit));
      nodes.forEach(n -> n.setHandoffConcurrency(scenario.concurrency()));
      completed = waitQuietly(scenario.maxHandoffSeconds(), () -> handoffDone(nodes), mode);
      handoffSeconds = (System.nanoTime() - start) / 1e9;
      during = load.interval();
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
        "[%s] %d transfers, %d objects; node3 owns %d of %d partitions%n",
        mode,
        transfers,
        objects,
        node3.ring().ring().partitionsOwnedBy("node3").size(),
        scenario.ringSize());
    return new ModeResult(
        mode, 0, idle, idleSeconds, during, handoffSeconds, bytes, objects, completed);
  }

  private static void printOutcome(ModeResult r) {
    System.out.printf(
        Locale.ROOT,
        "[%s] handoff %s: %.1f MiB in %.1f s; get p50/p99 idle %.0f/%.0f us, during"
            + " handoff %.0f/%.0f us%n",
        r.mode(),
        r.completed() ? "complete" : "INCOMPLETE",
        r.handoffBytes() / 1048576.0,
        r.handoffSeconds(),
        r.idle()[0].percentile(50),
        r.idle()[0].percentile(99),
        r.handoff()[0].percentile(50),
        r.handoff()[0].percentile(99));
  }

  private RuntimeConfig.Builder runtimeConfig(String name, EventLoopGroup group, boolean baseline) {
    String overlay = scenario.overlay();
    RuntimeConfig.Builder b =
        RuntimeConfig.builder(name).sharedEventLoopGroup(group).baseline(baseline).overlay(overlay);
    if (overlay.equals("client-server") && name.equals("node3")) {
      b.role("client"); // the joining node, where the client runs, reaches the others as a client
    }
    return b;
  }

  private static boolean handoffDone(List<KvNode> nodes) {
    for (KvNode n : nodes) {
      RingState r = n.ring().ring();
      if (!r.transfers().isEmpty()
          || r.members().size() != 3
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

  // ------------------------------------------------------------------ waiting

  private static void waitFor(String what, double seconds, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50); // polling in a CLI tool, bounded above
    }
  }

  private static boolean waitQuietly(double seconds, BooleanSupplier done, String mode)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long nextReport = start + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now > deadline) {
        return false;
      }
      if (now > nextReport) {
        System.out.printf(
            Locale.ROOT, "[%s]   ... %.0f s into the handoff%n", mode, (now - start) / 1e9);
        nextReport = now + 10_000_000_000L;
      }
      Thread.sleep(100); // polling in a CLI tool, bounded above
    }
    return true;
  }
}
