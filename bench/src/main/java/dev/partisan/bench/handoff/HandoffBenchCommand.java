package dev.partisan.bench.handoff;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.kv.object.Dot;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Sibling;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.ring.ClaimOptions;
import dev.partisan.ring.MemberStatus;
import dev.partisan.ring.PreferenceList;
import dev.partisan.ring.Replica;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.transport.LinkEmulator;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench handoff}: client latency while a large ownership handoff runs, with the store's
 * channels (request, handoff and anti-entropy traffic on their own connections) against baseline
 * mode (one connection per pair of nodes, as Distributed Erlang).
 *
 * <p>Per mode: node1 and node2 form a cluster whose RocksDB stores are seeded directly with {@code
 * --volume-mb} of objects (N=3, so each key has three replicas on the two nodes); node3 joins with
 * handoff paused (concurrency 0, riak's {@code transfer-limit 0}); a client on node3 runs gets and
 * puts at a fixed rate, first with nothing else going on ({@code idle}), then while handoff moves
 * about a third of the stored replicas, {@code --volume-mb} in all, to node3 ({@code handoff}). The
 * client is on the receiving node so its replies from node1 and node2 travel the same way as the
 * handoff batches: in baseline mode, behind them on the same connection.
 */
@Command(
    name = "handoff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Get/put latency during a large ownership handoff: channels vs baseline (one connection).",
      "Writes summary.md and results.csv under bench-results/handoff/<timestamp>/."
    })
public final class HandoffBenchCommand implements Callable<Integer> {
  @Option(
      names = "--volume-mb",
      description =
          "Seeded volume, MiB; the handoff moves about this much to node3 (default: 1024).")
  long volumeMb = 1024;

  @Option(names = "--value-kb", description = "Size of the seeded objects, KiB (default: 32).")
  int valueKb = 32;

  @Option(names = "--rate", description = "Client operations per second (default: 300).")
  double rate = 300;

  @Option(names = "--get-fraction", description = "Share of gets (default: 0.9).")
  double getFraction = 0.9;

  @Option(names = "--client-keys", description = "Keys the client uses (default: 1000).")
  int clientKeys = 1000;

  @Option(names = "--client-value", description = "Client value size, bytes (default: 1024).")
  int clientValue = 1024;

  @Option(names = "--idle-seconds", description = "Measured seconds before handoff (default: 10).")
  double idleSeconds = 10;

  @Option(
      names = "--max-handoff-seconds",
      description = "Give up on the handoff phase after this (default: 900).")
  double maxHandoffSeconds = 900;

  @Option(
      names = "--warmup-mb",
      description =
          "A throw-away handoff of this many MiB first, so the JIT has compiled the store's"
              + " paths before either mode is measured (default: 128; 0: none).")
  long warmupMb = 128;

  @Option(names = "--ring-size", description = "Partitions (default: 64).")
  int ringSize = 64;

  @Option(names = "--concurrency", description = "Handoff concurrency per node (default: 2).")
  int concurrency = 2;

  @Option(
      names = "--handoff-rate-mb",
      description =
          "Each node's outbound handoff rate limit, MiB/s (handoff.max_bytes_per_second); 0:"
              + " unlimited (default: 0).")
  double handoffRateMb = 0;

  @Option(
      names = "--rtt-ms",
      description = "Emulated round trip between the nodes, ms; 0: plain loopback (default: 0).")
  double rttMs = 0;

  @Option(
      names = "--bandwidth-mbit",
      description = "Emulated cap per direction of each node pair, Mbit/s; 0: none (default: 0).")
  long bandwidthMbit = 0;

  @Option(
      names = "--overlay",
      description = "full-mesh, client-server (node3 a client), hyparview (default: full-mesh).")
  String overlay = "full-mesh";

  @Option(
      names = "--parallelism",
      description =
          "Request-channel lanes in mode channels-parallel-affinity (key = partition; default: 4).")
  int parallelism = 4;

  @Option(
      names = "--modes",
      split = ",",
      description =
          "Modes to run: channels, baseline, channels-parallel-affinity (default: channels,"
              + " baseline).")
  List<String> modes = new ArrayList<>(List.of("channels", "baseline"));

  @Option(
      names = "--rounds",
      description =
          "Rounds; each runs every mode, in alternating order (ABBA), to cancel order effects;"
              + " the summary pools them (default: 2).")
  int rounds = 2;

  @Option(names = "--quick", description = "Smoke test: 8 MiB, ring 16, short phases, 1 round.")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: bench-results/handoff/<timestamp>/).")
  Path out;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the nodes' RocksDB stores go (default: a temp dir, deleted after).")
  Path dataDir;

  static final List<String> MODES = List.of("baseline", "channels", "channels-parallel-affinity");

  /** One mode's results. */
  record ModeResult(
      String mode,
      int round,
      FixedRateLoad.Stats[] idle,
      double idleSeconds,
      FixedRateLoad.Stats[] handoff,
      double handoffSeconds,
      long handoffBytes,
      long handoffObjects,
      boolean completed) {}

  @Override
  public Integer call() throws Exception {
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    if (quick) {
      volumeMb = 8;
      valueKb = 16;
      ringSize = 16;
      idleSeconds = 1;
      rate = 100;
      clientKeys = 100;
      maxHandoffSeconds = 60;
      warmupMb = 0;
      rounds = 1;
    }
    Path outDir = out != null ? out : defaultOut();
    Files.createDirectories(outDir);
    boolean temp = dataDir == null;
    Path root = temp ? Files.createTempDirectory("handoff-bench") : dataDir;
    System.out.printf(
        Locale.ROOT,
        "handoff bench: %d MiB in %d KiB objects, ring %d, client %.0f ops/s (%.0f%% gets) on the"
            + " receiving node, handoff concurrency %d, handoff rate limit %s, %d cores%n",
        volumeMb,
        valueKb,
        ringSize,
        rate,
        getFraction * 100,
        concurrency,
        handoffRateMb > 0 ? handoffRateMb + " MiB/s" : "none",
        Runtime.getRuntime().availableProcessors());
    List<ModeResult> results = new ArrayList<>();
    try {
      if (warmupMb > 0) {
        long volume = volumeMb;
        double idle = idleSeconds;
        volumeMb = warmupMb;
        idleSeconds = 2;
        System.out.printf(Locale.ROOT, "%nwarm-up (%d MiB, not reported)%n", warmupMb);
        runMode(modes.get(0), root.resolve("warmup"));
        deleteTree(root.resolve("warmup"));
        volumeMb = volume;
        idleSeconds = idle;
      }
      for (String mode : modes) {
        if (!MODES.contains(mode)) {
          throw new IllegalArgumentException("unknown mode " + mode);
        }
      }
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(modes);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (String mode : order) {
          ModeResult r = runMode(mode, root.resolve(mode));
          results.add(
              new ModeResult(
                  r.mode(),
                  round,
                  r.idle(),
                  r.idleSeconds(),
                  r.handoff(),
                  r.handoffSeconds(),
                  r.handoffBytes(),
                  r.handoffObjects(),
                  r.completed()));
          deleteTree(root.resolve(mode));
        }
      }
    } finally {
      if (temp) {
        deleteTree(root);
      }
    }
    writeCsv(outDir.resolve("results.csv"), results);
    String summary = summary(results);
    Files.writeString(outDir.resolve("summary.md"), summary);
    System.out.println();
    System.out.print(summary);
    System.out.println("written to " + outDir.toAbsolutePath());
    return 0;
  }

  private static Path defaultOut() {
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("bench-results", "handoff", ts);
  }

  // ------------------------------------------------------------------ one mode

  private KvConfig config(Path dir, int handoffConcurrency, String mode) {
    return KvConfig.builder()
        // The store sends requests keyed by partition: more lanes keep each partition's order.
        .requestParallelism(mode.equals("channels-parallel-affinity") ? parallelism : 1)
        .dataDir(dir)
        .ringSize(ringSize)
        .defaultTimeout(Duration.ofSeconds(10))
        .ringTickInterval(Duration.ofMillis(500))
        .handoffInterval(Duration.ofSeconds(1))
        .handoffConcurrency(handoffConcurrency)
        // Tree builds over the seeded volume would compete for the two cores with what is
        // measured; anti-entropy has its own channel but is not the subject here.
        .aaeEnabled(false)
        .build();
  }

  /** One mode from start to finish: seed, start, idle phase, handoff phase, stop. */
  ModeResult runMode(String mode, Path dir) throws Exception {
    boolean baseline = mode.equals("baseline");
    System.out.printf(Locale.ROOT, "%n[%s] seeding %d MiB...%n", mode, volumeMb);
    long seeded = seed(dir);
    System.out.printf(Locale.ROOT, "[%s] seeded %d objects x 3 replicas%n", mode, seeded);
    EventLoopGroup group = NettyTransports.newGroup(2, "bench-handoff");
    List<KvNode> nodes = new ArrayList<>();
    // One emulated path per node pair, shared by every connection of the pair (see runtime.md).
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
      if (!node1.ring().ring().owners().equals(seedRing().owners())) {
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
      RequestOptions options = RequestOptions.defaults();
      byte[] value = new byte[clientValue];
      new Random(3).nextBytes(value);
      writeClientKeys(node3, value, options);

      System.out.printf(Locale.ROOT, "[%s] idle phase %.0f s%n", mode, idleSeconds);
      FixedRateLoad.Stats[] idle;
      FixedRateLoad.Stats[] during;
      double handoffSeconds;
      boolean completed;
      try (FixedRateLoad load =
          new FixedRateLoad(node3.client(), clientKeys, value, getFraction, rate, options)) {
        Thread.sleep((long) (idleSeconds * 1000)); // the measured interval
        idle = load.interval();
        System.out.printf(Locale.ROOT, "[%s] handoff phase (resuming transfers)%n", mode);
        long start = System.nanoTime();
        long rateLimit = (long) (handoffRateMb * 1024 * 1024);
        nodes.forEach(n -> n.setHandoffRateLimit(rateLimit));
        nodes.forEach(n -> n.setHandoffConcurrency(concurrency));
        completed = waitQuietly(maxHandoffSeconds, () -> handoffDone(nodes), mode);
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
          ringSize);
      if (link != null) {
        System.out.printf(Locale.ROOT, "[%s] emulated link bytes: %s%n", mode, link.bytesCarried());
      }
      ModeResult r =
          new ModeResult(
              mode, 0, idle, idleSeconds, during, handoffSeconds, bytes, objects, completed);
      System.out.printf(
          Locale.ROOT,
          "[%s] handoff %s: %.1f MiB in %.1f s; get p50/p99 idle %.0f/%.0f us, during"
              + " handoff %.0f/%.0f us%n",
          mode,
          completed ? "complete" : "INCOMPLETE",
          bytes / 1048576.0,
          handoffSeconds,
          idle[0].percentile(50),
          idle[0].percentile(99),
          during[0].percentile(50),
          during[0].percentile(99));
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

  private RuntimeConfig.Builder runtimeConfig(String name, EventLoopGroup group, boolean baseline) {
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
    for (int i = 0; i < clientKeys; i++) {
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

  // ------------------------------------------------------------------ seeding

  private RingState seedRing() {
    return RingState.bootstrap(
        ringSize, List.of("node1", "node2"), new ClaimOptions(ClaimOptions.DEFAULT_TARGET_N_VAL));
  }

  /**
   * Writes the volume straight into node1's and node2's stores, each object on the three partitions
   * (and so the nodes) the ring gives it, as the cluster would have stored it.
   */
  private long seed(Path dir) {
    PreferenceList pl = PreferenceList.of(seedRing());
    int valueBytes = valueKb * 1024;
    long objects = Math.max(1, volumeMb * 1024 * 1024 / valueBytes);
    byte[] value = new byte[valueBytes];
    new Random(1).nextBytes(value);
    long now = System.currentTimeMillis();
    try (RocksDbBackend b1 = new RocksDbBackend(dir.resolve("node1"), false);
        RocksDbBackend b2 = new RocksDbBackend(dir.resolve("node2"), false)) {
      Map<String, RocksDbBackend> stores = Map.of("node1", b1, "node2", b2);
      for (long i = 0; i < objects; i++) {
        BKey key = BKey.of("volume", "v-" + i);
        value[0] = (byte) i;
        value[1] = (byte) (i >>> 8);
        value[2] = (byte) (i >>> 16);
        String actor = "seed/" + (i % ringSize) + ".1";
        KvObject o =
            new KvObject(
                new VersionVector(Map.of(actor, 1L)),
                List.of(
                    new Sibling(
                        new Dot(actor, 1),
                        value,
                        "application/octet-stream",
                        Map.of(),
                        now,
                        false)));
        byte[] encoded = ObjectCodec.encode(o);
        byte[] storageKey = key.toStorageKey();
        for (Replica r : pl.primaries(key.position(), 3)) {
          stores.get(r.node()).put(r.partition(), storageKey, encoded);
        }
      }
    }
    return objects;
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

  // ------------------------------------------------------------------ output

  static final String CSV_HEADER =
      "mode,round,phase,op,ops,errors,ops_per_s,p50_us,p99_us,p999_us,max_us,"
          + "handoff_mib,handoff_s,handoff_mib_per_s,handoff_complete";

  private void writeCsv(Path file, List<ModeResult> results) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (ModeResult r : results) {
      for (String phase : List.of("idle", "handoff")) {
        FixedRateLoad.Stats[] stats = phase.equals("idle") ? r.idle() : r.handoff();
        double seconds = phase.equals("idle") ? r.idleSeconds() : r.handoffSeconds();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats[op];
          double mib = r.handoffBytes() / 1048576.0;
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s,%d,%s,%s,%d,%d,%.1f,%.0f,%.0f,%.0f,%d,%s,%s,%s,%s",
                  r.mode(),
                  r.round(),
                  phase,
                  op == 0 ? "get" : "put",
                  s.count(),
                  s.errors(),
                  s.count() / Math.max(1e-9, seconds),
                  s.percentile(50),
                  s.percentile(99),
                  s.percentile(99.9),
                  s.micros().getTotalCount() == 0 ? 0 : s.micros().getMaxValue(),
                  phase.equals("handoff") ? String.format(Locale.ROOT, "%.1f", mib) : "",
                  phase.equals("handoff")
                      ? String.format(Locale.ROOT, "%.1f", r.handoffSeconds())
                      : "",
                  phase.equals("handoff")
                      ? String.format(Locale.ROOT, "%.2f", mib / Math.max(1e-9, r.handoffSeconds()))
                      : "",
                  phase.equals("handoff") ? Boolean.toString(r.completed()) : ""));
        }
      }
    }
    Files.write(file, lines);
  }

  private String summary(List<ModeResult> results) {
    StringBuilder b = new StringBuilder();
    b.append("# bench handoff\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%d MiB seeded on two nodes in %d KiB objects (N=3); a third node joins and receives"
                + " its share by handoff (ring %d, handoff concurrency %d, rate limit %s); client on"
                + " the receiving node: %.0f ops/s, %.0f%% gets, %d keys of %d B, R=W=quorum; %d"
                + " cores, %s.%n%n",
            volumeMb,
            valueKb,
            ringSize,
            concurrency,
            handoffRateMb > 0 ? handoffRateMb + " MiB/s per node" : "none",
            rate,
            getFraction * 100,
            clientKeys,
            clientValue,
            Runtime.getRuntime().availableProcessors(),
            LocalDateTime.now().withNano(0)));
    b.append(
        "| mode | round | phase | op | ops | errors | p50 us | p99 us | p99.9 us | max us |"
            + " handoff |\n");
    b.append("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (ModeResult r : results) {
      for (String phase : List.of("idle", "handoff")) {
        FixedRateLoad.Stats[] stats = phase.equals("idle") ? r.idle() : r.handoff();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats[op];
          String handoff =
              phase.equals("handoff") && op == 0
                  ? String.format(
                      Locale.ROOT,
                      "%.1f MiB in %.1f s (%.1f MiB/s)%s",
                      r.handoffBytes() / 1048576.0,
                      r.handoffSeconds(),
                      r.handoffBytes() / 1048576.0 / Math.max(1e-9, r.handoffSeconds()),
                      r.completed() ? "" : " INCOMPLETE")
                  : "";
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %s | %s | %d | %d | %.0f | %.0f | %.0f | %d | %s |%n",
                  r.mode(),
                  r.round(),
                  phase,
                  op == 0 ? "get" : "put",
                  s.count(),
                  s.errors(),
                  s.percentile(50),
                  s.percentile(99),
                  s.percentile(99.9),
                  s.micros().getTotalCount() == 0 ? 0 : s.micros().getMaxValue(),
                  handoff));
        }
      }
    }
    b.append("\nAll rounds pooled (latencies in us):\n\n");
    b.append("| mode | phase | op | ops | errors | p50 | p99 | p99.9 |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (String mode : modes) {
      for (String phase : List.of("idle", "handoff")) {
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = pooled(results, mode, phase, op);
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %d | %d | %.0f | %.0f | %.0f |%n",
                  mode,
                  phase,
                  op == 0 ? "get" : "put",
                  s.count(),
                  s.errors(),
                  s.percentile(50),
                  s.percentile(99),
                  s.percentile(99.9)));
        }
      }
    }
    if (modes.contains("channels") && modes.contains("baseline")) {
      for (String phase : List.of("handoff", "idle")) {
        FixedRateLoad.Stats c = pooled(results, "channels", phase, 0);
        FixedRateLoad.Stats l = pooled(results, "baseline", phase, 0);
        b.append(
            String.format(
                Locale.ROOT,
                "%nGet latency %s, baseline / channels (all rounds pooled):%n%n",
                phase.equals("handoff") ? "during the handoff" : "before the handoff (idle)"));
        for (double p : new double[] {50, 99}) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "- p%.0f: channels %.0f us, baseline %.0f us, ratio %.2f%n",
                  p,
                  c.percentile(p),
                  l.percentile(p),
                  l.percentile(p) / Math.max(1, c.percentile(p))));
        }
      }
    }
    return b.toString();
  }

  /** One mode's figures for a phase and operation, merged over all rounds. */
  private static FixedRateLoad.Stats pooled(
      List<ModeResult> results, String mode, String phase, int op) {
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
    long count = 0;
    long errors = 0;
    for (ModeResult r : results) {
      if (r.mode().equals(mode)) {
        FixedRateLoad.Stats s = (phase.equals("idle") ? r.idle() : r.handoff())[op];
        h.add(s.micros());
        count += s.count();
        errors += s.errors();
      }
    }
    return new FixedRateLoad.Stats(count, errors, h);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
