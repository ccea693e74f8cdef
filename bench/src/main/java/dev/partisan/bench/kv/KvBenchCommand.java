package dev.partisan.bench.kv;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.handoff.RoundsOptions;
import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.backend.RocksDbBackend;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench kv}: a basho_bench-style load generator (see {@link LoadDriver}) against running
 * nodes over HTTP ({@code --target http://...}) or PB ({@code pb://...}), a 3-node cluster it
 * starts in this JVM and drives over HTTP ({@code http-local}), over PB ({@code pb}) or through the
 * Java client ({@code client}); results over time. {@code --target scenarios} keeps the older fixed
 * table: the raw backend (no store, no actors), one node with N=1 through the client, three nodes
 * with N=3, R=W=2.
 */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "basho_bench-style KV load: operation mix, key distribution, value size, closed loop or",
      "fixed rate, duration; throughput and latency percentiles per second. Targets:",
      "  http://HOST:PORT[,...] - running nodes over the HTTP API",
      "  http-local             - a 3-node cluster started in this JVM, over HTTP (default)",
      "  client                 - a 3-node cluster started in this JVM, Java client",
      "  pb                     - a 3-node cluster started in this JVM, over Riak's PB API",
      "  pb://HOST:PORT[,...]   - running nodes over Riak's PB API",
      "  scenarios              - the fixed raw / single / cluster table (--scenarios)",
      "TLS: --tls (in-process cluster on development certificates; pb://: RpbStartTls);",
      "secured running nodes: --cacert, --user with --password-file.",
      "Writes results.csv, summary.md, PNG charts and config.properties under",
      "bench-results/kv/<timestamp>/."
    })
public final class KvBenchCommand implements Callable<Integer> {
  @Option(names = "--target", description = "See above (default: http-local).")
  String target = "http-local";

  @Option(
      names = "--nodes",
      description =
          "With --target http-local or pb: in-process (the 3 nodes in this JVM) or processes"
              + " (3 partisan-kv start processes this bench starts and stops) (default:"
              + " ${DEFAULT-VALUE}).")
  String nodes = "in-process";

  @Option(names = "--get-fraction", description = "Share of gets in the mix (default: 0.9).")
  double getFraction = 0.9;

  @Option(names = "--key-dist", description = "uniform or pareto (default: uniform).")
  String keyDistribution = "uniform";

  @Option(
      names = "--rate",
      description =
          "Operations per second, open loop; 0: closed loop of --concurrency (default 0).")
  double rate = 0;

  @Option(names = "--bucket", description = "Bucket (default: bench).")
  String bucket = "bench";

  @Option(
      names = "--quick",
      description = "Smoke run: a few seconds, small key space, 1 round unless --rounds.")
  boolean quick;

  @Option(
      names = "--pb-connections",
      description = {
        "PB targets: keep-alive connections per node; 0: enough for --concurrency (a node serves",
        "one request per connection at a time, so this bounds the requests in the store)",
        "(default: 0)."
      })
  int pbConnections = 0;

  @Option(
      names = "--pb-client-threads",
      description = "PB targets: the client's event loop threads; 0: one per core (default: 0).")
  int pbClientThreads = 0;

  @Option(
      names = "--pb-server-threads",
      description = {
        "pb: each in-process node's PB event loop threads; 0: the node's share of the cores,",
        "at least 1 (default: 0)."
      })
  int pbServerThreads = 0;

  @Option(
      names = "--http-connections",
      description = {
        "HTTP targets: keep-alive connections per node; 0: one per closed-loop worker, spread",
        "over the nodes, as wrk -c (default: 0)."
      })
  int httpConnections = 0;

  @Option(
      names = "--http-client-threads",
      description = "HTTP targets: the client's event loop threads; 0: one per core (default: 0).")
  int httpClientThreads = 0;

  @Option(
      names = "--compare-wrk",
      description = {
        "With --target http(s)://: a GET-only comparison of this client with wrk (if on the",
        "PATH) against the first node, same connections (--concurrency), threads",
        "(--http-client-threads), keys and --duration, in ABBA order; prints both rates and",
        "their ratio."
      })
  boolean compareWrk;

  @Mixin OutputOption output;

  @Mixin KvSecurityOptions security;

  @Mixin final RoundsOptions rounds = new RoundsOptions(3);

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Measured seconds (per phase with --target scenarios; default: 10).")
  double duration = 10;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      description = {
        "Warm-up seconds, unreported: per phase with --target scenarios (default: 2); before",
        "the measured run otherwise (default: 0; short runs measure the JIT's warm-up too)."
      })
  Double warmup;

  @Option(names = "--concurrency", description = "Closed-loop clients (default: 16).")
  int concurrency = 16;

  @Option(names = "--value-size", paramLabel = "BYTES", description = "Value size (default: 1024).")
  int valueSize = 1024;

  @Option(names = "--keys", description = "Distinct keys (default: 10000).")
  int keys = 10_000;

  @Option(names = "--ring-size", description = "Partitions (default: 64).")
  int ringSize = 64;

  @Option(names = "--max-ops", description = "Operation budget per phase (default: 5000000).")
  long maxOps = 5_000_000;

  @Option(
      names = "--scenarios",
      split = ",",
      description = "Which to run: raw, single, cluster (default: all).")
  List<String> scenarios = new ArrayList<>(List.of("raw", "single", "cluster"));

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Data directory (default: a temp dir, deleted after).")
  Path dir;

  private final List<String> rows = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    if (!target.equals("scenarios")) {
      if (quick) {
        duration = 3;
        keys = 200;
        concurrency = 4;
        rounds.quick();
      }
      rounds.rounds();
      return compareWrk ? new WrkComparison(this).run() : new KvLoadRun(this).run();
    }
    return scenarios();
  }

  private Integer scenarios() throws Exception {
    byte[] value = new byte[valueSize];
    new Random(1).nextBytes(value);
    System.out.printf(
        "kv bench: %d B values, %d keys, %d clients, %.0f s per phase (+%.0f s warm-up), ring %d, %d cores%n",
        valueSize,
        keys,
        concurrency,
        duration,
        scenarioWarmup(),
        ringSize,
        Runtime.getRuntime().availableProcessors());
    try (ScratchDir data = ScratchDir.of(dir, "kv-bench")) {
      Path root = data.path();
      if (scenarios.contains("raw")) {
        raw(root.resolve("raw"), value);
      }
      if (scenarios.contains("single")) {
        single(root.resolve("single"), value);
      }
      if (scenarios.contains("cluster")) {
        cluster(root.resolve("cluster"), value);
      }
    }
    System.out.println();
    System.out.println("| scenario | op | ops/s | p50 us | p99 us | p99.9 us | errors |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
    return 0;
  }

  private double scenarioWarmup() {
    return warmup == null ? 2 : warmup;
  }

  /** A load run's warm-up: none unless asked, so figures stay comparable with earlier runs. */
  double loadWarmup() {
    return warmup == null ? 0 : warmup;
  }

  private static byte[] key(long i, int keys) {
    return ("k" + Math.floorMod(i * 7919, keys)).getBytes(StandardCharsets.UTF_8);
  }

  private void phase(String scenario, String op, ClosedLoop.Op body) throws Exception {
    if (scenarioWarmup() > 0) {
      ClosedLoop.run(
          concurrency, Duration.ofMillis((long) (scenarioWarmup() * 1000)), maxOps, body);
    }
    ClosedLoop.Result r =
        ClosedLoop.run(concurrency, Duration.ofMillis((long) (duration * 1000)), maxOps, body);
    String row =
        String.format(
            "| %s | %s | %,.0f | %.0f | %.0f | %.0f | %d |",
            scenario,
            op,
            r.opsPerSecond(),
            r.percentile(50),
            r.percentile(99),
            r.percentile(99.9),
            r.errors());
    System.out.println(row);
    rows.add(row);
  }

  private void raw(Path path, byte[] value) throws Exception {
    try (RocksDbBackend db = new RocksDbBackend(path, false)) {
      int partitions = ringSize;
      phase("raw RocksDB", "put", i -> db.put((int) (i % partitions), key(i, keys), value));
      phase("raw RocksDB", "get", i -> db.get((int) (i % partitions), key(i, keys)));
    }
  }

  private KvConfig config(Path path) {
    return KvConfig.builder()
        .dataDir(path)
        .ringSize(ringSize)
        .defaultTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static BKey bkey(long i, int keys) {
    return new BKey(
        "default".getBytes(StandardCharsets.UTF_8),
        "bench".getBytes(StandardCharsets.UTF_8),
        key(i, keys));
  }

  private void single(Path path, byte[] value) throws Exception {
    EventLoopGroup group = NettyTransports.newGroup(2, "bench-kv");
    try (KvNode node =
        KvNode.start(
            config(path.resolve("node1")),
            RuntimeConfig.builder("node1").sharedEventLoopGroup(group))) {
      node.formCluster(List.of("node1")).get(10, TimeUnit.SECONDS);
      // Blind writes to the same keys would pile up siblings: keep only the newest, as riak's
      // legacy default bucket does.
      node.setBucketProps("default", "bench", BucketProps.DEFAULTS.withAllowMult(false));
      RequestOptions n1 = RequestOptions.defaults().nVal(1).r(1).w(1).dw(1);
      Content content = Content.of(value);
      phase(
          "1 node N=1 (client API)",
          "put",
          i -> node.client().put(bkey(i, keys), content, CausalContext.EMPTY, n1).join());
      phase("1 node N=1 (client API)", "get", i -> node.client().get(bkey(i, keys), n1).join());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private void cluster(Path path, byte[] value) throws Exception {
    EventLoopGroup group = NettyTransports.newGroup(2, "bench-kv");
    List<KvNode> nodes = new ArrayList<>();
    String secret = RuntimeConfig.newClusterSecret();
    try {
      for (int i = 1; i <= 3; i++) {
        nodes.add(
            KvNode.start(
                config(path.resolve("node" + i)),
                RuntimeConfig.builder("node" + i)
                    .clusterSecret(secret)
                    .sharedEventLoopGroup(group)));
      }
      NodeId seed = nodes.get(0).runtime().self();
      for (KvNode n : nodes.subList(1, 3)) {
        n.runtime().join(seed.host(), seed.port()).get(10, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (nodes.stream().anyMatch(n -> n.runtime().overlay().upMembers().size() < 3)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the three nodes did not see each other within 20 s");
        }
        Thread.sleep(50); // waiting for membership in a CLI tool, bounded above
      }
      nodes.get(0).formCluster(List.of("node1", "node2", "node3")).get(10, TimeUnit.SECONDS);
      nodes.get(0).setBucketProps("default", "bench", BucketProps.DEFAULTS.withAllowMult(false));
      BKey probe = bkey(0, keys);
      while (nodes.stream()
          .anyMatch(
              n -> n.ring().ring().members().size() < 3 || n.bucketProps(probe).allowMult())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the ring did not reach every node within 20 s");
        }
        Thread.sleep(50);
      }
      RequestOptions q = RequestOptions.defaults().nVal(3).r(2).w(2).dw(2);
      Content content = Content.of(value);
      String name = "3 nodes N=3 R=W=2";
      phase(
          name,
          "put",
          i ->
              nodes
                  .get((int) (i % 3))
                  .client()
                  .put(bkey(i, keys), content, CausalContext.EMPTY, q)
                  .join());
      phase(name, "get", i -> nodes.get((int) (i % 3)).client().get(bkey(i, keys), q).join());
    } finally {
      for (KvNode n : nodes) {
        n.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
