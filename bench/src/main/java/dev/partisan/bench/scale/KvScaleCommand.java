package dev.partisan.bench.scale;

import dev.partisan.bench.cli.BenchLogging;
import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import dev.partisan.bench.report.Provenance;
import dev.partisan.bench.report.ResultDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench kv-scale}: the store on a large overlay. Per overlay, N memory-backed KV nodes in P
 * child JVMs ({@code bench kv-host}) join through one contact, form one ring, and serve a client
 * load at R=W=quorum; then a node is killed and the load runs again. The figures: convergence, ring
 * propagation, get/put latency (and get p99 against the full mesh's), errors, and the share of
 * requests served after the kill.
 */
@Command(
    name = "kv-scale",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The KV store on a large overlay: N memory-backed nodes in P child JVMs per overlay, one"
          + " ring, a client load at R=W=quorum on every node (routed where replicas are not"
          + " neighbours), then a node killed and the load again.",
      "Writes results.csv and summary.md (with the nodes' logs under hosts/)."
    })
public final class KvScaleCommand implements Callable<Integer> {
  @Option(
      names = "--overlays",
      split = ",",
      description = "Overlays, in order (default: hyparview,client-server,full-mesh).")
  List<String> overlays = new ArrayList<>(List.of("hyparview", "client-server", "full-mesh"));

  @Option(names = "--nodes", description = "KV nodes per overlay (default: ${DEFAULT-VALUE}).")
  int nodes = 128;

  @Option(names = "--processes", description = "Child JVMs (default: ${DEFAULT-VALUE}).")
  int processes = 4;

  @Option(names = "--process-heap", description = "-Xmx of each child (default: ${DEFAULT-VALUE}).")
  String heap = "2g";

  @Option(names = "--ring-size", description = "Partitions (default: ${DEFAULT-VALUE}).")
  int ringSize = 256;

  @Option(names = "--rate", description = "Client ops/s in total (default: ${DEFAULT-VALUE}).")
  double rate = 300;

  @Option(names = "--seconds", description = "Seconds per load phase (default: ${DEFAULT-VALUE}).")
  double seconds = 20;

  @Option(
      names = "--warmup-seconds",
      description = "Unreported load before the measured phases (default: ${DEFAULT-VALUE}).")
  double warmupSeconds = 10;

  @Option(names = "--keys", description = "Client keys (default: ${DEFAULT-VALUE}).")
  int keys = 1000;

  @Option(
      names = "--budget-seconds",
      description = "Bound on joining and on ring propagation (default: ${DEFAULT-VALUE}).")
  long budgetSeconds = 180;

  @Option(names = "--no-kill", description = "Skip the killed-node phase.")
  boolean noKill;

  @Option(
      names = "--servers",
      description = "Client-server: servers; 0 = max(2, N/16) (default: ${DEFAULT-VALUE}).")
  int servers = 0;

  @Option(
      names = "--quick",
      description = "Smoke run: 12 nodes, 2 processes, 5 s phases after 2 s, ring 32.")
  boolean quick;

  @Mixin final TimingOptions timing = new TimingOptions();

  @Mixin OutputOption output;

  @Override
  public Integer call() throws Exception {
    BenchLogging.warningsOnly();
    if (quick) {
      nodes = 12;
      processes = 2;
      seconds = 5;
      warmupSeconds = 2;
      ringSize = 32;
      rate = 100;
      heap = "512m";
      budgetSeconds = 90;
    }
    overlays.forEach(JoinableOverlays::require);
    if (nodes < 4 || processes < 1 || processes > nodes || ringSize < nodes) {
      throw new IllegalArgumentException(
          "need --nodes >= 4, 1 <= --processes <= --nodes and --ring-size >= --nodes");
    }
    Path dir = output.create();
    Path logs = Files.createDirectories(dir.resolve("hosts"));
    KvScaleRun.Settings settings =
        new KvScaleRun.Settings(
            nodes,
            processes,
            heap,
            ringSize,
            rate,
            seconds,
            warmupSeconds,
            keys,
            0.9,
            Duration.ofSeconds(budgetSeconds),
            !noKill,
            timing.timingsFor(nodes),
            logs);
    List<KvScaleRun.Result> results = new ArrayList<>();
    KvScaleRun run = new KvScaleRun(settings, System.out);
    for (String overlay : overlays) {
      System.out.printf(
          Locale.ROOT, "%n=== %s, %d KV nodes in %d processes ===%n", overlay, nodes, processes);
      int s =
          overlay.equals("client-server") ? (servers > 0 ? servers : Math.max(2, nodes / 16)) : 0;
      results.add(run.run(overlay, s));
    }
    KvScaleReport report = new KvScaleReport(results);
    report.writeCsv(dir.resolve("results.csv"));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("overlays", overlays);
    config.put("nodes", nodes);
    config.put("processes", processes);
    config.put("processHeap", heap);
    config.put("ringSize", ringSize);
    config.put("rate", rate);
    config.put("seconds", seconds);
    config.put("warmupSeconds", warmupSeconds);
    config.put("keys", keys);
    config.put("kill", !noKill);
    config.put("timings", settings.timings().label());
    Provenance provenance = output.finishedProvenance();
    ResultDir.writeConfig(dir, provenance, config);
    ResultDir.writeSummary(dir, provenance, summary(settings, report));
    System.out.println(report.tables());
    return results.stream().allMatch(r -> r.failure() == null) ? 0 : 1;
  }

  private String summary(KvScaleRun.Settings s, KvScaleReport report) {
    return "# bench kv-scale\n\n"
        + String.format(
            Locale.ROOT,
            "%d memory-backed KV nodes per overlay in %d JVMs (-Xmx%s each), one connection per"
                + " peer, ring %d, N=3, R=W=quorum; a client on every node, %.0f ops/s in total"
                + " (90%% gets, %d keys of 256 B, open loop) for %.0f s after %.0f s unreported; then node %d killed (no"
                + " leave) and the load again. Timings: %s. Convergence: every node sees all %d"
                + " members up; ring: every node has the formed ring and the client bucket's"
                + " properties.%n%n",
            s.n(),
            s.processes(),
            s.heap(),
            s.ringSize(),
            s.rate(),
            s.keys(),
            s.seconds(),
            s.warmupSeconds(),
            s.n() - 1,
            s.timings().label(),
            s.n())
        + report.tables();
  }
}
