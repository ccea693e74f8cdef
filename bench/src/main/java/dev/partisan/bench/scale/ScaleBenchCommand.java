package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.transport.NettyTransports;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench scale}: how far each overlay scales when every node runs in this one JVM. For each
 * overlay, a ladder of cluster sizes; each step starts N nodes, joins them through one contact, and
 * measures convergence time, connections per node, broadcast and routed-unicast delivery, heap and
 * threads. An overlay's ladder stops at its first failing step.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Overlay scale ladder: N nodes in one JVM per step (shared event loops and timer),"
          + " all joined through one contact.",
      "Per step: time until every node sees all N members up, connections per node, delivery"
          + " of one broadcast and of random routed unicasts (with replies), peak heap, threads"
          + " and descriptors. A step fails when it does not converge within the budget or"
          + " delivers less than 100%%; the overlay's ladder stops there.",
      "Writes results.csv, summary.md and scale.log to the output directory."
    })
public final class ScaleBenchCommand implements Callable<Integer> {
  static final List<String> SUPPORTED = List.of("full-mesh", "client-server", "hyparview");

  @Spec CommandSpec spec;

  @Option(
      names = "--overlays",
      split = ",",
      paramLabel = "NAME",
      description = "Overlays to run, in order (default: full-mesh,client-server,hyparview).")
  List<String> overlays = new ArrayList<>(SUPPORTED);

  @Option(
      names = "--nodes",
      split = ",",
      paramLabel = "N",
      description =
          "Cluster sizes of the ladder, ascending (default: 16,32,64,128,256,512,1024;"
              + " with --quick: 8,16).")
  List<Integer> nodes;

  @Option(
      names = "--max",
      paramLabel = "OVERLAY=N",
      description = "Largest N to try for an overlay, e.g. --max full-mesh=256 (repeatable).")
  Map<String, Integer> max = new LinkedHashMap<>();

  @Option(
      names = "--budget-seconds",
      paramLabel = "S",
      description =
          "Convergence budget per step, from the first join (default: 120; with --quick: 60).")
  Integer budgetSeconds;

  @Option(
      names = "--delivery-timeout",
      paramLabel = "S",
      description =
          "Bound on broadcast and on unicast delivery per step (default: 30; with --quick: 15).")
  Integer deliveryTimeoutSeconds;

  @Option(
      names = "--pairs",
      paramLabel = "N",
      description =
          "Random (sender, receiver) pairs of the unicast test (default: 200; --quick: 50).")
  Integer pairs;

  @Option(
      names = "--servers",
      paramLabel = "N|auto",
      description = "Client-server: servers per step; auto = max(2, N/16) (default: auto).")
  String servers = "auto";

  @Option(
      names = "--relaxed-from",
      paramLabel = "N",
      description =
          "Steps with at least N nodes use the relaxed timings below, smaller ones the runtime"
              + " defaults (default: ${DEFAULT-VALUE}: relaxed everywhere).")
  int relaxedFrom = 0;

  @Option(
      names = "--heartbeat-ms",
      paramLabel = "MS",
      description = "Relaxed heartbeat interval (default: ${DEFAULT-VALUE}).")
  long heartbeatMs = 1000;

  @Option(
      names = "--detection-ms",
      paramLabel = "MS",
      description = "Relaxed failure-detection time (default: ${DEFAULT-VALUE}).")
  long detectionMs = 10_000;

  @Option(
      names = "--gossip-ms",
      paramLabel = "MS",
      description = "Relaxed anti-entropy gossip interval (default: ${DEFAULT-VALUE}).")
  long gossipMs = 2000;

  @Option(
      names = "--join-concurrency",
      paramLabel = "N",
      description = "Joins in flight at once (default: ${DEFAULT-VALUE}).")
  int joinConcurrency = 8;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description = "Threads of the one Netty event loop group all nodes share (default: 2).")
  int eventLoops = 2;

  @Option(
      names = "--timer-threads",
      paramLabel = "N",
      description = "Threads of the one timer pool all nodes share (default: ${DEFAULT-VALUE}).")
  int timerThreads = 2;

  @Option(
      names = "--fd-guard",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Skip (status LIMIT) a step whose estimated descriptors exceed the open-file limit"
              + " (default: on).")
  boolean fdGuard = true;

  @Option(
      names = "--count-messages",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Count every message the nodes send, by type, through the interposition hook (written"
              + " to traffic.csv; default: on).")
  boolean countMessages = true;

  @Option(
      names = "--time-limit-minutes",
      paramLabel = "M",
      description = "Start no new step after M minutes; 0 = no limit (default: ${DEFAULT-VALUE}).")
  double timeLimitMinutes = 0;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed for broadcast origins and unicast pairs (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--quick", description = "Smoke test: N = 8,16, shorter bounds.")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: bench-results/scale/<timestamp>/).")
  Path out;

  private final LinkedHashMap<String, String> stopped = new LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    List<Integer> ladder = nodes != null ? nodes : quick ? List.of(8, 16) : defaultLadder();
    Duration budget = Duration.ofSeconds(budgetSeconds != null ? budgetSeconds : quick ? 60 : 120);
    Duration delivery =
        Duration.ofSeconds(
            deliveryTimeoutSeconds != null ? deliveryTimeoutSeconds : quick ? 15 : 30);
    int pairCount = pairs != null ? pairs : quick ? 50 : 200;
    validate(ladder, budget, delivery, pairCount);
    Path dir = out != null ? out : defaultOutDir();
    Files.createDirectories(dir);
    PrintStream progress = System.err;
    ScaleStep.Settings settings =
        new ScaleStep.Settings(
            budget,
            delivery,
            pairCount,
            joinConcurrency,
            eventLoops,
            timerThreads,
            seed,
            countMessages,
            progress);
    RunInfo info = new RunInfo();
    List<StepResult> results = new ArrayList<>();
    long started = System.nanoTime();
    int stepIndex = 0;
    try (ScaleLog log = ScaleLog.install(dir);
        PeakSampler sampler = new PeakSampler()) {
      info.logFile = log.logFile();
      for (String overlay : overlays) {
        String stopReason = null;
        for (int n : ladder) {
          int s = serversFor(overlay, n);
          StepResult r = new StepResult(overlay, n, s);
          results.add(r);
          Integer cap = max.get(overlay);
          double elapsedMin = (System.nanoTime() - started) / 60e9;
          r.fdEstimate = estimateFds(overlay, n, s, pairCount);
          if (stopReason != null) {
            r.fail(Status.SKIPPED, stopReason);
            continue;
          }
          if (cap != null && n > cap) {
            r.fail(Status.SKIPPED, "above --max " + overlay + "=" + cap);
            continue;
          }
          if (timeLimitMinutes > 0 && elapsedMin >= timeLimitMinutes) {
            r.fail(Status.SKIPPED, "time limit of " + timeLimitMinutes + " min reached");
            continue;
          }
          if (fdGuard && info.fdLimit > 0 && r.fdEstimate > info.fdLimit) {
            r.fail(
                Status.LIMIT,
                String.format(
                    Locale.ROOT,
                    "needs ~%d descriptors (2 per in-process connection), above the open-file"
                        + " limit %d",
                    r.fdEstimate,
                    info.fdLimit));
            stopReason = "ladder stopped at N=" + n + " (LIMIT)";
            stopped.put(overlay, "N=" + n + ": LIMIT, " + r.reasonText());
            continue;
          }
          ScaleStep.Timings timings = timingsFor(n);
          progress.printf(
              Locale.ROOT,
              "[%s] %sall join through node 0, %s, estimated fds %d (limit %d)%n",
              ScaleStep.label(overlay, n),
              overlay.equals("client-server") ? s + " servers, " : "",
              timings.label(),
              r.fdEstimate,
              info.fdLimit);
          new ScaleStep(settings, overlay, n, s, timings, ++stepIndex, r)
              .run(log, sampler, () -> writeQuietly(dir, results, info, ladder, settings));
          progress.printf(
              Locale.ROOT,
              "[%s] %s%s (teardown %.1f s)%n",
              ScaleStep.label(overlay, n),
              r.status,
              r.ok() ? "" : ": " + r.reasonText(),
              r.teardownSeconds);
          info.phases.put(ScaleStep.label(overlay, n), log.get(ScaleStep.label(overlay, n)));
          info.phases.put(
              ScaleStep.label(overlay, n) + " teardown",
              log.get(ScaleStep.label(overlay, n) + " teardown"));
          if (!r.ok()) {
            stopReason = "ladder stopped at N=" + n + " (" + r.status + ")";
            stopped.put(overlay, "N=" + n + ": " + r.status + ", " + r.reasonText());
          }
          write(dir, results, info, ladder, settings);
        }
      }
      info.loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      info.finished = LocalDateTime.now().withNano(0);
      write(dir, results, info, ladder, settings);
    }
    System.out.println();
    System.out.print(ScaleReport.markdownTable(results));
    System.out.println();
    System.out.println("Results written to " + dir.toAbsolutePath());
    return 0;
  }

  private static List<Integer> defaultLadder() {
    return List.of(16, 32, 64, 128, 256, 512, 1024);
  }

  private void validate(List<Integer> ladder, Duration budget, Duration delivery, int pairCount) {
    List<String> problems = new ArrayList<>();
    for (String o : overlays) {
      if (!SUPPORTED.contains(o)) {
        problems.add("unknown overlay '" + o + "' (have: " + String.join(", ", SUPPORTED) + ")");
      }
    }
    for (String o : max.keySet()) {
      if (!SUPPORTED.contains(o)) {
        problems.add("--max names unknown overlay '" + o + "'");
      }
    }
    int previous = 1;
    for (int n : ladder) {
      if (n <= previous) {
        problems.add("--nodes must be ascending and each >= 2: " + ladder);
        break;
      }
      previous = n;
    }
    if (!servers.equals("auto")) {
      try {
        if (Integer.parseInt(servers) < 1) {
          problems.add("--servers must be >= 1 or auto");
        }
      } catch (NumberFormatException e) {
        problems.add("--servers must be a number or auto: " + servers);
      }
    }
    if (budget.isNegative() || budget.isZero() || delivery.isNegative() || delivery.isZero()) {
      problems.add("--budget-seconds and --delivery-timeout must be > 0");
    }
    if (pairCount < 1 || joinConcurrency < 1 || eventLoops < 1 || timerThreads < 1) {
      problems.add("--pairs, --join-concurrency, --event-loops, --timer-threads must be >= 1");
    }
    if (heartbeatMs < 10 || detectionMs < 2 * heartbeatMs || gossipMs < 10) {
      problems.add("need --heartbeat-ms >= 10, --gossip-ms >= 10, --detection-ms >= 2 beats");
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  int serversFor(String overlay, int n) {
    if (!overlay.equals("client-server")) {
      return 0;
    }
    int s = servers.equals("auto") ? Math.max(2, n / 16) : Integer.parseInt(servers);
    return Math.min(s, n);
  }

  ScaleStep.Timings timingsFor(int n) {
    if (n < relaxedFrom) {
      return ScaleStep.Timings.runtimeDefaults();
    }
    return new ScaleStep.Timings(
        Duration.ofMillis(heartbeatMs),
        Duration.ofMillis(detectionMs),
        Duration.ofMillis(gossipMs),
        true);
  }

  /**
   * Descriptors a step needs: one listening socket per node and, because both ends of every
   * connection live in this process, two per connection: overlay connections (full mesh: one per
   * pair on the membership channel; client-server: server pairs and client-server pairs; HyParView:
   * a generous active-view allowance plus the contact's connection to every joiner), plus one
   * default-channel connection per unicast pair, plus what is open now.
   */
  static long estimateFds(String overlay, int n, int servers, int pairs) {
    long conns =
        switch (overlay) {
          case "full-mesh" -> (long) n * (n - 1) / 2;
          case "client-server" ->
              (long) servers * (servers - 1) / 2 + (long) (n - servers) * servers;
          default -> (long) n * OverlaySettings.HyParView.defaults().activeViewSize() + n;
        };
    conns += Math.min(pairs, (long) n * (n - 1) / 2);
    long now = Math.max(0, ProcStats.openFds());
    return now + n + 2 * conns;
  }

  private static Path defaultOutDir() {
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("bench-results", "scale", ts);
  }

  /** What the summary reports besides the results. */
  private static final class RunInfo {
    final LocalDateTime start = LocalDateTime.now().withNano(0);
    LocalDateTime finished;
    final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    double loadAtEnd = Double.NaN;
    final long fdLimit = ProcStats.maxOpenFiles();
    final long fdsAtStart = ProcStats.openFds();
    Path logFile;
    final Map<String, ScaleLog.Phase> phases = new LinkedHashMap<>();
  }

  /** Writes what is known so far, e.g. before a step's (possibly long) teardown. */
  private void writeQuietly(
      Path dir,
      List<StepResult> results,
      RunInfo info,
      List<Integer> ladder,
      ScaleStep.Settings settings) {
    try {
      write(dir, results, info, ladder, settings);
    } catch (IOException e) {
      settings.progress().println("could not write results: " + e);
    }
  }

  private void write(
      Path dir,
      List<StepResult> results,
      RunInfo info,
      List<Integer> ladder,
      ScaleStep.Settings settings)
      throws IOException {
    Files.writeString(dir.resolve("results.csv"), ScaleReport.csv(results), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("traffic.csv"), ScaleReport.trafficCsv(results), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("summary.md"),
        summary(results, info, ladder, settings),
        StandardCharsets.UTF_8);
  }

  /** The command as typed: from the bench jar ("scale" first) or this command alone. */
  private String commandLine() {
    List<String> args = originalArgs();
    String prefix = !args.isEmpty() && args.get(0).equals(spec.name()) ? "bench" : "bench scale";
    return (prefix + " " + String.join(" ", args)).trim();
  }

  private List<String> originalArgs() {
    return spec.commandLine().getParseResult() == null
        ? List.of()
        : spec.commandLine().getParseResult().originalArgs();
  }

  private String summary(
      List<StepResult> results, RunInfo info, List<Integer> ladder, ScaleStep.Settings settings) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Scale benchmark: overlays at growing cluster size, one JVM\n\n");
    sb.append("Run from ")
        .append(info.start)
        .append(info.finished == null ? " (in progress)" : " to " + info.finished)
        .append(" with `")
        .append(commandLine())
        .append("`\n\n");
    sb.append("## Results\n\n").append(ScaleReport.markdownTable(results)).append('\n');
    sb.append(
        """
        - **Converge s**: from the first join request until every node's `upMembers()` held \
        all N nodes (joins included; node start-up excluded, see start_s in results.csv).
        - **Sockets/node**: live connections per node just after convergence, as the runtime \
        counts them (`transport().connectionCount(peer)` summed over all other nodes: one per \
        authenticated TCP connection the node holds, any channel or lane). Cross-check: \
        `tcp_established_endpoints` in results.csv counts ESTABLISHED entries of /proc/net/tcp \
        touching the step's listening ports; both ends of an in-process connection are listed, \
        so it should equal N x the mean (it can be slightly higher while handshakes or \
        tie-break losers are in flight).
        - **Broadcast %**: one `broadcast()` to the sink actor from a random node; share of the \
        N sinks that got it within the delivery bound.
        - **Unicast % / Replies %**: random (sender, receiver) pairs, one `tell` each to the \
        receiver's sink, which answers the sender's sink; share delivered within the bound \
        (routed hop by hop where the overlay does not connect the pair directly).
        - **Peak heap / threads / fds**: sampled every 250 ms during the step (heap includes \
        garbage; threads are platform threads, the actors' virtual threads excluded). **Live \
        heap**: after a full GC at the end of the measurement.
        - A step **FAIL**s when it does not converge within the budget or delivers less than \
        100%; **LIMIT**: not attempted, it would need more descriptors than the open-file \
        limit; the ladder of an overlay stops at its first FAIL, LIMIT or ERROR.

        """);
    sb.append("## Where each ladder stopped\n\n");
    for (String overlay : overlays) {
      int largest =
          results.stream()
              .filter(r -> r.overlay.equals(overlay) && r.ok())
              .mapToInt(r -> r.nodes)
              .max()
              .orElse(0);
      sb.append("- ")
          .append(overlay)
          .append(": largest passing N = ")
          .append(largest == 0 ? "none" : Integer.toString(largest))
          .append("; ")
          .append(stopped.getOrDefault(overlay, "no failing step in the ladder"))
          .append('\n');
    }
    sb.append('\n');
    sb.append("## Anomalies\n\n");
    anomalies(sb, results, info);
    if (countMessages) {
      sb.append("## Traffic by message type\n\n");
      sb.append(
          "Messages sent by all nodes during each step (start to end of the delivery tests),"
              + " counted at the sender; \"elements\" = list entries they carried (member"
              + " entries of a membership delta, ids of an IHAVE, ...). Full list in"
              + " traffic.csv.\n\n");
      sb.append(ScaleReport.trafficTable(results, 6)).append('\n');
    }
    sb.append("## Configuration\n\n");
    configuration(sb, ladder, settings);
    sb.append("## Environment\n\n");
    Runtime rt = Runtime.getRuntime();
    sb.append("- JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(Runtime.version())
        .append(" (")
        .append(System.getProperty("java.vendor"))
        .append("); arguments: `")
        .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .append("`\n");
    sb.append("- max heap: ").append(rt.maxMemory() >> 20).append(" MiB\n");
    sb.append("- OS: ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(" (")
        .append(System.getProperty("os.arch"))
        .append(")\n");
    sb.append("- cores available to the JVM: ").append(rt.availableProcessors()).append('\n');
    sb.append("- open-file limit (`ulimit -n`): ")
        .append(info.fdLimit)
        .append("; descriptors open at start: ")
        .append(info.fdsAtStart)
        .append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "- system load average (1 min) at start / end: %.2f / %.2f (the machine may be"
                + " shared)%n",
            info.loadAtStart,
            info.loadAtEnd));
    if (info.logFile != null) {
      sb.append("- node log (INFO and above): `").append(info.logFile.getFileName()).append("`\n");
    }
    return sb.toString();
  }

  private void anomalies(StringBuilder sb, List<StepResult> results, RunInfo info) {
    boolean any = false;
    for (StepResult r : results) {
      if (r.status == Status.SKIPPED || r.status == Status.LIMIT) {
        continue;
      }
      String label = ScaleStep.label(r.overlay, r.nodes);
      ScaleLog.Phase during = info.phases.get(label);
      ScaleLog.Phase teardown = info.phases.get(label + " teardown");
      boolean interesting =
          !r.ok()
              || !r.notes.isEmpty()
              || r.duplicates > 0
              || r.droppedInbound > 0
              || (during != null && (during.warnings > 0 || during.errors > 0));
      if (!interesting) {
        continue;
      }
      any = true;
      sb.append("### ").append(label).append("\n\n");
      if (!r.ok()) {
        sb.append("- ").append(r.status).append(": ").append(r.reasonText()).append('\n');
      }
      for (String note : r.notes) {
        sb.append("- ").append(note).append('\n');
      }
      if (r.duplicates > 0) {
        sb.append("- ").append(r.duplicates).append(" duplicate deliveries to sinks\n");
      }
      if (r.droppedInbound > 0) {
        sb.append("- ")
            .append(r.droppedInbound)
            .append(
                " inbound messages dropped by the runtime (unknown actor, stale incarnation,"
                    + " full mailbox, routing TTL or no onward hop)\n");
      }
      if (during != null && (during.warnings > 0 || during.errors > 0)) {
        sb.append("- log during the step: ")
            .append(during.warnings)
            .append(" WARN, ")
            .append(during.errors)
            .append(" ERROR\n");
        patterns(sb, during);
      }
      if (teardown != null && (teardown.warnings > 0 || teardown.errors > 0)) {
        sb.append("- log during teardown (expected: peers notice closed nodes): ")
            .append(teardown.warnings)
            .append(" WARN, ")
            .append(teardown.errors)
            .append(" ERROR\n");
      }
      sb.append('\n');
    }
    if (!any) {
      sb.append("None: every step passed with no warning logged while it was measured.\n\n");
    }
  }

  private static void patterns(StringBuilder sb, ScaleLog.Phase phase) {
    phase.patterns.values().stream()
        .sorted((a, b) -> Long.compare(b.count, a.count))
        .limit(8)
        .forEach(
            p ->
                sb.append("  - ")
                    .append(p.count)
                    .append("x `")
                    .append(p.key.replace("`", "'"))
                    .append("`, e.g. `")
                    .append(p.example.replace("`", "'"))
                    .append("`\n"));
    if (phase.unlisted > 0) {
      sb.append("  - ").append(phase.unlisted).append(" more of other patterns\n");
    }
  }

  private void configuration(StringBuilder sb, List<Integer> ladder, ScaleStep.Settings settings) {
    OverlaySettings.HyParView hv = OverlaySettings.HyParView.defaults();
    RuntimeConfig defaults = RuntimeConfig.builder("defaults").build();
    sb.append("- overlays: ")
        .append(String.join(", ", overlays))
        .append("; ladder N = ")
        .append(ladder)
        .append(max.isEmpty() ? "" : "; caps " + max)
        .append(quick ? " (--quick)" : "")
        .append('\n');
    sb.append("- every node in this JVM on 127.0.0.1, port chosen by the OS; all share one Netty")
        .append(" event loop group (")
        .append(settings.eventLoops())
        .append(" threads, ")
        .append(NettyTransports.detect().socketChannel().getSimpleName())
        .append(") and one timer pool (")
        .append(settings.timerThreads())
        .append(" threads); actors run on each node's own virtual-thread executor\n");
    sb.append("- joins: every node but node 0 joins through node 0, at most ")
        .append(settings.joinConcurrency())
        .append(" in flight; a failed join is retried once within the budget\n");
    sb.append("- convergence budget ")
        .append(settings.convergeBudget().toSeconds())
        .append(" s per step; delivery bound ")
        .append(settings.deliveryTimeout().toSeconds())
        .append(" s for the broadcast and for the unicasts; ")
        .append(settings.pairs())
        .append(" unicast pairs (sent at once, seed ")
        .append(settings.seed())
        .append(")\n");
    ScaleStep.Timings relaxed = timingsFor(Integer.MAX_VALUE);
    sb.append("- timings: ")
        .append(
            relaxedFrom <= ladder.get(0)
                ? "relaxed for every step: "
                : "relaxed for N >= " + relaxedFrom + ": ")
        .append(relaxed.label())
        .append(" (runtime defaults: heartbeat ")
        .append(defaults.failureDetection().heartbeatInterval().toMillis())
        .append(" ms, detection ")
        .append(defaults.failureDetection().detectionTime().toMillis())
        .append(" ms, gossip ")
        .append(defaults.failureDetection().gossipInterval().toMillis())
        .append(" ms). Relaxed because hundreds of nodes share 2 cores: default heartbeats")
        .append(" would make the failure detector suspect nodes that are merely slow\n");
    sb.append("- HyParView: runtime defaults: active view ")
        .append(hv.activeViewSize())
        .append(" (min ")
        .append(hv.activeViewMin())
        .append("), passive view ")
        .append(hv.passiveViewSize())
        .append(", random walks ")
        .append(hv.activeRandomWalkLength())
        .append('/')
        .append(hv.passiveRandomWalkLength())
        .append(", shuffle every ")
        .append(hv.shuffleInterval().toSeconds())
        .append(" s (")
        .append(hv.shuffleActive())
        .append(" active + ")
        .append(hv.shufflePassive())
        .append(" passive), Plumtree lazy push ")
        .append(hv.lazyPushInterval().toMillis())
        .append(" ms, route TTL ")
        .append(hv.routeTtl())
        .append('\n');
    sb.append("- client-server: ")
        .append(servers.equals("auto") ? "max(2, N/16) servers" : servers + " servers")
        .append(" (nodes 0.. are servers, node 0 the contact), the rest clients\n");
    sb.append("- channels: runtime defaults (default and membership, one lane each), no ack\n");
    sb.append("- descriptor guard: ")
        .append(fdGuard ? "on" : "off")
        .append(" (estimate: ~2 per in-process connection + 1 per node, see fd_estimate)\n\n");
  }
}
