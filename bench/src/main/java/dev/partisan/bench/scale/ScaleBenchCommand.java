package dev.partisan.bench.scale;

import dev.partisan.bench.cli.JoinableOverlays;
import dev.partisan.bench.cli.OutputOption;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench scale}: how far each overlay scales with every node in this one JVM, or spread over
 * child JVMs ({@code --processes}, {@link ProcessNodes}). For each overlay, a ladder of cluster
 * sizes; each step starts N nodes, joins them through K contacts ({@link JoinPlan}), and measures
 * convergence time, connections per node, broadcast and routed-unicast delivery, heap and threads.
 * An overlay's ladder stops at its first failing step.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Overlay scale ladder: N nodes in one JVM per step (shared event loops and timer),"
          + " joined through K contacts (--join-contacts); with --processes P, each step's"
          + " nodes are spread over P child JVMs (each sharing its own event loops and timer),"
          + " every figure gathered from all of them.",
      "Per step: time until every node sees all N members up, connections per node, delivery"
          + " of one broadcast and of random routed unicasts (with replies), peak heap, threads"
          + " and descriptors. A step fails when it does not converge within the budget or"
          + " delivers less than 100%%; the overlay's ladder stops there.",
      "Writes results.csv, summary.md and scale.log to the output directory (with --processes,"
          + " each child's node log to hosts/)."
    })
public final class ScaleBenchCommand implements Callable<Integer> {
  static final List<String> SUPPORTED = JoinableOverlays.kinds();

  /** One contact per join in flight by default, each in its own child with 4 or 8 children. */
  static final int DEFAULT_JOIN_CONTACTS = 8;

  @Spec CommandSpec spec;

  @Option(
      names = "--overlays",
      split = ",",
      paramLabel = "NAME",
      completionCandidates = JoinableOverlays.class,
      description = "Overlays to run, in order: any of ${COMPLETION-CANDIDATES} (default: all).")
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

  @Mixin final StepBoundOptions bounds = new StepBoundOptions();

  @Option(
      names = "--servers",
      paramLabel = "N|auto",
      description = "Client-server: servers per step; auto = max(2, N/16) (default: auto).")
  String servers = "auto";

  @Mixin final TimingOptions timing = new TimingOptions();

  @Option(
      names = "--join-concurrency",
      paramLabel = "N",
      description = "Joins in flight at once (default: ${DEFAULT-VALUE}).")
  int joinConcurrency = 8;

  @Option(
      names = "--join-contacts",
      paramLabel = "K",
      description =
          "Nodes 0..K-1 take the joins: nodes 1..K-1 join through node 0 first, then every other"
              + " node through one of the K, drawn from --seed (capped at N; 1 = every node through"
              + " node 0; default: ${DEFAULT-VALUE}).")
  int joinContacts = DEFAULT_JOIN_CONTACTS;

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

  @Option(
      names = "--processes",
      paramLabel = "P",
      description =
          "Spread each step's nodes over P child JVMs on this machine (bench scale-host), node i"
              + " in child i mod P, each with its own descriptor budget; 1 = every node in this"
              + " JVM (default: ${DEFAULT-VALUE}).")
  int processes = 1;

  @Option(
      names = "--process-heap",
      paramLabel = "SIZE",
      description =
          "-Xmx of each child JVM, e.g. 1g (default: this JVM's -Xmx if given, else the JVM's"
              + " default).")
  String processHeap;

  @Option(
      names = "--process-jvm-option",
      paramLabel = "OPT",
      description = "Extra JVM option for each child JVM, e.g. -XX:+UseSerialGC (repeatable).")
  List<String> processJvmOptions = new ArrayList<>();

  @Option(names = "--quick", description = "Smoke test: N = 8,16, shorter bounds.")
  boolean quick;

  @Mixin OutputOption output;

  @Override
  public Integer call() throws IOException {
    List<Integer> ladder = nodes != null ? nodes : quick ? List.of(8, 16) : defaultLadder();
    Duration budget = bounds.budget(quick);
    Duration delivery = bounds.delivery(quick);
    int pairCount = bounds.pairCount(quick);
    validate(ladder, budget, delivery, pairCount);
    Path dir = output.create();
    PrintStream progress = System.err;
    StepSettings settings =
        new StepSettings(
            budget,
            delivery,
            pairCount,
            joinConcurrency,
            joinContacts,
            eventLoops,
            timerThreads,
            seed,
            countMessages,
            processSettings(dir),
            progress);
    List<StepResult> results = new LadderRun(this, ladder, settings, dir).run();
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
    if (processes < 1 || processes > 64) {
      problems.add("--processes must be in 1..64");
    }
    if (processHeap != null && !processHeap.matches("\\d+[kKmMgG]?")) {
      problems.add("--process-heap must be a size such as 512m or 2g: " + processHeap);
    }
    if (pairCount < 1
        || joinConcurrency < 1
        || joinContacts < 1
        || eventLoops < 1
        || timerThreads < 1) {
      problems.add(
          "--pairs, --join-concurrency, --join-contacts, --event-loops, --timer-threads must be"
              + " >= 1");
    }
    timing.validate(problems);
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

  /**
   * Descriptors a step needs in its busiest process ({@link NodeSplit#fdsPerProcess}), plus what
   * this process holds open now (a child starts with about as many).
   */
  long estimateFds(String overlay, int n, int servers, int pairs) {
    long now = Math.max(0, ProcStats.openFds());
    JoinPlan plan = JoinPlan.forStep(overlay, n, servers, joinContacts, seed);
    return now + NodeSplit.fdsPerProcess(overlay, n, servers, pairs, processes, plan);
  }

  /** Where the nodes of each step run, and the options of the child JVMs. */
  StepSettings.Processes processSettings(Path dir) {
    if (processes <= 1) {
      return StepSettings.Processes.inProcess();
    }
    List<String> jvm = new ArrayList<>();
    if (processHeap != null) {
      jvm.add("-Xmx" + processHeap);
    }
    jvm.addAll(processJvmOptions);
    return new StepSettings.Processes(processes, List.copyOf(jvm), dir.resolve("hosts"));
  }

  /** The command as typed: from the bench jar ("scale" first) or this command alone. */
  String commandLine() {
    List<String> args = originalArgs();
    String prefix = !args.isEmpty() && args.get(0).equals(spec.name()) ? "bench" : "bench scale";
    return (prefix + " " + String.join(" ", args)).trim();
  }

  private List<String> originalArgs() {
    return spec.commandLine().getParseResult() == null
        ? List.of()
        : spec.commandLine().getParseResult().originalArgs();
  }
}
