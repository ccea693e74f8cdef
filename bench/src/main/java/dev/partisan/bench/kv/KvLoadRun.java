package dev.partisan.bench.kv;

import dev.partisan.bench.cli.ScratchDir;
import dev.partisan.bench.report.Charts;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import dev.partisan.http.DevCluster;
import dev.partisan.http.NodeLauncher;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvNode;
import dev.partisan.pb.client.PbClientSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code bench kv} load run: sets up the target (or connects to it), drives it with {@link
 * LoadDriver}, and writes the time series, the summary, the charts and the configuration. Used
 * once, on the command's thread.
 */
final class KvLoadRun {
  static final String CSV_HEADER =
      "second,op,ops,errors,ops_per_s,p50_us,p95_us,p99_us,max_us,round";

  private final KvBenchCommand c;

  /** The in-process cluster and its stores' directory, if the target is one; closed by run(). */
  private DevCluster cluster;

  private Path data;

  /** The node processes of --nodes processes, if any; closed by run(). */
  private KvNodeProcesses processes;

  /** The run's TLS and user, if any; set by openTarget(). */
  private KvTls tls;

  private KvCredentials credentials;

  KvLoadRun(KvBenchCommand command) {
    this.c = command;
  }

  int run() throws Exception {
    LoadDriver.Settings settings =
        new LoadDriver.Settings(
            c.getFraction,
            c.keyDistribution,
            c.keys,
            c.valueSize,
            c.concurrency,
            c.rate,
            c.duration,
            c.maxOps,
            10_000);
    new KeyChooser(c.keyDistribution, c.keys, 0); // validates the distribution before any start
    c.security.check(c.target);
    Path dir = c.output.create();
    try {
      KvTarget kvTarget = openTarget();
      System.out.printf(
          Locale.ROOT,
          "kv load: %s; %.0f%% gets, %s keys over %d, %d B values, %s, %.0f s (+%.0f s warm-up);"
              + " %d cores, load %s%n",
          kvTarget.describe(),
          c.getFraction * 100,
          c.keyDistribution,
          c.keys,
          c.valueSize,
          c.rate > 0 ? c.rate + " ops/s open loop" : c.concurrency + " closed-loop workers",
          c.duration,
          c.loadWarmup(),
          Runtime.getRuntime().availableProcessors(),
          ResultDir.loadAverage());
      System.out.println(tlsLine());
      List<LoadDriver.Result> results = new ArrayList<>();
      try (KvTarget t = kvTarget) {
        if (c.loadWarmup() > 0) {
          new LoadDriver(t, warmupSettings(settings)).run(); // the JIT's warm-up, unreported
        }
        for (int round = 1; round <= c.rounds.rounds; round++) {
          results.add(new LoadDriver(t, settings).run());
          System.out.printf(Locale.ROOT, "kv load: round %d of %d done%n", round, c.rounds.rounds);
        }
      }
      KvRounds rounds = new KvRounds(results);
      LoadDriver.Result r = rounds.pooled();
      Files.write(dir.resolve("results.csv"), csv(rounds));
      charts(dir, r);
      String described =
          processes == null
              ? kvTarget.describe()
              : kvTarget.describe() + ", " + processes.describe();
      StringBuilder summary = new StringBuilder(summary(r, described));
      rounds.appendTable(summary);
      Provenance provenance = c.output.finishedProvenance();
      ResultDir.writeConfig(dir, provenance, settings());
      ResultDir.writeSummary(dir, provenance, summary.toString());
      return 0;
    } finally {
      if (processes != null) {
        processes.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (data != null) {
        ScratchDir.deleteTree(data);
      }
    }
  }

  /**
   * The target {@code --target} names: a 3-node cluster started here (its stores in a temporary
   * directory), driven over HTTP, over PB or through the Java client, or running nodes over HTTP or
   * PB.
   */
  private KvTarget openTarget() throws Exception {
    if (c.nodes.equals("processes")) {
      return openNodeProcesses();
    } else if (!c.nodes.equals("in-process")) {
      throw new IllegalArgumentException("--nodes is in-process or processes, got " + c.nodes);
    }
    if (KvSecurityOptions.local(c.target)) {
      return openLocalCluster();
    }
    tls = c.security.remoteTls(c.target);
    credentials = c.security.credentials();
    return openRunning(c.target);
  }

  /**
   * {@code --nodes processes}: the 3-node cluster of {@code http-local} or {@code pb}, each node a
   * {@code partisan-kv start} process, then driven as running nodes.
   */
  private KvTarget openNodeProcesses() throws Exception {
    if (!c.target.equals("http-local") && !c.target.equals("pb")) {
      throw new IllegalArgumentException(
          "--nodes processes drives --target http-local or pb, got " + c.target);
    }
    if (c.security.tls) {
      throw new IllegalArgumentException("--tls runs with --nodes in-process only");
    }
    processes = KvNodeProcesses.start(3, c.ringSize, Duration.ofSeconds(120), System.out::println);
    System.out.println("kv bench: " + processes.describe());
    return openRunning(c.target.equals("pb") ? processes.pbTarget() : processes.httpTarget());
  }

  /** Running nodes over HTTP or PB ({@code http://...}, {@code pb://...}). */
  private KvTarget openRunning(String target) throws Exception {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      List<String> urls = Arrays.asList(target.split(","));
      HttpTarget http =
          new HttpTarget(
              urls,
              c.bucket,
              httpSizing(urls.size()),
              tls == null ? null : tls.client(),
              credentials);
      http.allowMultFalse();
      return http;
    } else if (target.startsWith("pb://")) {
      List<InetSocketAddress> nodes = PbTarget.parse(target.substring("pb://".length()));
      PbTarget pb = new PbTarget(nodes, c.bucket, pbSettings(nodes.size()));
      pb.allowMultFalse();
      return pb;
    } else {
      throw new IllegalArgumentException("unknown --target " + target);
    }
  }

  /**
   * The 3-node cluster started here (its stores, and with --tls its certificates, in a temporary
   * directory), driven over HTTP(S), over PB or through the Java client.
   */
  private KvTarget openLocalCluster() throws Exception {
    data = Files.createTempDirectory("kv-load");
    boolean https = c.target.equals("http-local");
    if (c.security.tls) {
      tls = KvTls.forDevCluster(data.resolve("certs"), 3, c.security.provider());
    }
    cluster =
        DevCluster.start(
            Map.of(
                "kv.ring_size",
                Integer.toString(c.ringSize),
                "pb.event_loop_threads",
                Integer.toString(pbServerThreads())),
            new DevCluster.Layout(3, 0, 0, data),
            i -> tls == null ? Map.of() : tls.nodeSettings(i, https));
    KvNode first = cluster.nodes().get(0).kv();
    // Blind writes to the same keys would pile up siblings: keep the newest, as riak's
    // legacy default bucket does.
    first.setBucketProps("default", c.bucket, BucketProps.DEFAULTS.withAllowMult(false));
    KvTarget kvTarget;
    if (c.target.equals("client")) {
      kvTarget =
          new ClientTarget(cluster.nodes().stream().map(NodeLauncher::kv).toList(), c.bucket);
    } else if (c.target.equals("pb")) {
      kvTarget =
          new PbTarget(
              cluster.nodes().stream()
                  .map(n -> new InetSocketAddress("127.0.0.1", n.pbPort()))
                  .toList(),
              c.bucket,
              pbSettings(cluster.nodes().size()));
    } else {
      kvTarget =
          new HttpTarget(
              cluster.nodes().stream()
                  .map(
                      n ->
                          tls == null
                              ? "http://127.0.0.1:" + n.httpPort()
                              : "https://127.0.0.1:" + n.httpsPort())
                  .toList(),
              c.bucket,
              httpSizing(cluster.nodes().size()),
              tls == null ? null : tls.client(),
              null);
    }
    Thread.sleep(1000); // let the bucket properties reach every node (gossiped with the ring)
    return kvTarget;
  }

  /** What runs over TLS here, for the console and the summary. */
  private String tlsLine() {
    return KvSecurityOptions.describe(c.target, tls, credentials);
  }

  private LoadDriver.Settings warmupSettings(LoadDriver.Settings s) {
    return new LoadDriver.Settings(
        s.getFraction(),
        s.keyDistribution(),
        s.keys(),
        s.valueSize(),
        s.concurrency(),
        s.rate(),
        c.loadWarmup(),
        s.maxOps(),
        s.timeoutMillis());
  }

  /**
   * The in-process nodes share this machine's cores: each node's PB server gets its share (at least
   * one loop), not a loop per core as a node alone on its machine would.
   */
  private int pbServerThreads() {
    return c.pbServerThreads > 0
        ? c.pbServerThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / 3);
  }

  /**
   * A PB node serves a connection's requests one at a time (docs/pb.md), so the connections, not
   * the pipelining, bound how many requests are in the store at once: by default as many as the
   * closed loop has workers, spread over the nodes, so PB sees the same concurrency as the client.
   */
  private PbClientSettings pbSettings(int nodes) {
    int connections =
        c.pbConnections > 0 ? c.pbConnections : Math.max(2, (c.concurrency + nodes - 1) / nodes);
    PbClientSettings s =
        PbClientSettings.defaults()
            .withConnectionsPerNode(connections)
            .withEventLoopThreads(c.pbClientThreads)
            .withRequestTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      s = s.withStartTls(tls.client());
    }
    return credentials == null ? s : s.withAuth(credentials.user(), credentials.password());
  }

  /**
   * As {@code wrk -c}: by default one connection per closed-loop worker (each lane owns one, one
   * request in flight), spread over the nodes.
   */
  HttpTarget.Sizing httpSizing(int nodes) {
    int connections =
        c.httpConnections > 0
            ? c.httpConnections
            : Math.max(1, (c.concurrency + nodes - 1) / nodes);
    return new HttpTarget.Sizing(connections, c.httpClientThreads, Duration.ofSeconds(10));
  }

  /** A row per round, second (from 1 in each round) and operation. */
  private static List<String> csv(KvRounds rounds) {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (int round = 1; round <= rounds.rounds().size(); round++) {
      for (LoadDriver.Sample s : rounds.rounds().get(round - 1).series()) {
        lines.add(csvRow(s) + "," + round);
      }
    }
    return lines;
  }

  private static String csvRow(LoadDriver.Sample s) {
    return String.format(
        Locale.ROOT,
        "%d,%s,%d,%d,%d,%d,%d,%d,%d",
        s.second(),
        s.op(),
        s.ops(),
        s.errors(),
        s.ops(),
        pct(s.micros(), 50),
        pct(s.micros(), 95),
        pct(s.micros(), 99),
        s.micros().getTotalCount() == 0 ? 0 : s.micros().getMaxValue());
  }

  private static long pct(org.HdrHistogram.Histogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
  }

  private String summary(LoadDriver.Result r, String target) {
    StringBuilder b = new StringBuilder("# bench kv\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Target: %s. %.0f%% gets / %.0f%% puts, %s keys over %d, %d B values, %s, %.1f s in %d"
                + " round(s) (after %.0f s unreported warm-up); totals below pool the rounds;"
                + " R=W=quorum (bucket defaults), allow_mult=false. %d cores; load average at the"
                + " end %s; %s.%n%s.%n%n",
            target,
            c.getFraction * 100,
            (1 - c.getFraction) * 100,
            c.keyDistribution,
            c.keys,
            c.valueSize,
            c.rate > 0
                ? String.format(Locale.ROOT, "%.0f ops/s open loop", c.rate)
                : c.concurrency + " closed-loop workers",
            r.seconds(),
            c.rounds.rounds,
            c.loadWarmup(),
            Runtime.getRuntime().availableProcessors(),
            ResultDir.loadAverage(),
            java.time.LocalDateTime.now().withNano(0),
            tlsLine()));
    b.append("| op | ops | errors | ops/s | p50 us | p95 us | p99 us | p99.9 us | max us |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int op = 0; op < 2; op++) {
      org.HdrHistogram.Histogram h = r.totals()[op];
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.1f | %d | %d | %d | %d | %d |%n",
              LoadDriver.OPS[op],
              r.ops()[op],
              r.errors()[op],
              r.ops()[op] / r.seconds(),
              pct(h, 50),
              pct(h, 95),
              pct(h, 99),
              pct(h, 99.9),
              h.getTotalCount() == 0 ? 0 : h.getMaxValue()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nGets that found no value (counted as successes; HTTP 404, PB or client without content): %d.%n",
            r.notFound()));
    b.append("\nPer second: results.csv, throughput.png, latency.png.\n");
    return b.toString();
  }

  private static void charts(Path dir, LoadDriver.Result r) throws IOException {
    Map<String, double[][]> tput = new LinkedHashMap<>();
    Map<String, double[][]> lat = new LinkedHashMap<>();
    for (String op : LoadDriver.OPS) {
      List<LoadDriver.Sample> s = r.series().stream().filter(x -> x.op().equals(op)).toList();
      double[] x = s.stream().mapToDouble(LoadDriver.Sample::second).toArray();
      tput.put(op, new double[][] {x, s.stream().mapToDouble(LoadDriver.Sample::ops).toArray()});
      for (double p : new double[] {50, 99}) {
        lat.put(
            String.format(Locale.ROOT, "%s p%.0f", op, p),
            new double[][] {x, s.stream().mapToDouble(v -> pct(v.micros(), p) / 1000.0).toArray()});
      }
    }
    Charts.lines(dir.resolve("throughput.png"), "kv throughput", "second", "ops/s", tput);
    Charts.lines(dir.resolve("latency.png"), "kv latency", "second", "ms", lat);
  }

  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", c.target);
    m.put("nodes", processes == null ? c.nodes : processes.describe());
    m.put("getFraction", c.getFraction);
    m.put("keyDistribution", c.keyDistribution);
    m.put("keys", c.keys);
    m.put("valueSize", c.valueSize);
    m.put("concurrency", c.concurrency);
    m.put("rate", c.rate);
    m.put("duration", c.duration);
    m.put("warmup", c.loadWarmup());
    m.put("maxOps", c.maxOps);
    m.put("bucket", c.bucket);
    m.put("ringSize", c.ringSize);
    m.put("rounds", c.rounds.rounds);
    m.put("quick", c.quick);
    m.put("pbConnections", c.pbConnections);
    m.put("pbClientThreads", c.pbClientThreads);
    m.put("pbServerThreads", c.pbServerThreads);
    m.put("httpConnections", c.httpConnections);
    m.put("httpClientThreads", c.httpClientThreads);
    m.put("tls", tls == null ? "off" : "on");
    m.put("tlsProvider", tls == null ? "" : tls.resolvedProvider());
    m.put("cacert", c.security.caFile == null ? "" : c.security.caFile.toString());
    m.put("user", credentials == null ? "" : credentials.user());
    return m;
  }
}
