package dev.partisan.bench.runtime;

import dev.partisan.bench.cli.OutputOption;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench runtime}: two nodes in one JVM over loopback TCP; one-way throughput and ask/reply
 * latency for each payload size, in baseline mode (one connection, as Distributed Erlang) and with
 * channels x parallelism (one connection per lane).
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runtime throughput and latency between two nodes over loopback TCP.",
      "For each configuration (baseline: one connection; channels: C channels x parallelism P)"
          + " and payload: one-way throughput A->B with concurrent senders, then ask/reply"
          + " round-trip latency with closed-loop requesters.",
      "Writes summary.md and results.csv to the output directory and prints the table."
    })
public final class RuntimeBenchCommand implements Callable<Integer> {
  static final int LARGE_PAYLOAD = 64 * 1024;

  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Measured seconds per cell and test (default: 10, or 1 with --quick).")
  Double duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      description = "Warm-up seconds before each measurement (default: 3, or 0 with --quick).")
  Double warmup;

  @Option(
      names = "--payloads",
      split = ",",
      paramLabel = "BYTES",
      description = "Payload sizes in bytes (default: 1024,1048576).")
  List<Integer> payloads = new ArrayList<>(List.of(1024, 1048576));

  @Option(names = "--quick", description = "Smoke test: about 1 s per cell, no warm-up.")
  boolean quick;

  @Mixin OutputOption output;

  @Option(
      names = "--configs",
      split = ",",
      paramLabel = "NAME",
      description = "Configurations to run: baseline, channels (default: both).")
  List<String> configs = new ArrayList<>(List.of("baseline", "channels"));

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Application channels declared (default: ${DEFAULT-VALUE}).")
  int channels = 4;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Connections per channel outside baseline mode (default: ${DEFAULT-VALUE}).")
  int parallelism = 4;

  @Option(
      names = "--senders",
      paramLabel = "N",
      description = "Concurrent one-way senders, one route each (default: ${DEFAULT-VALUE}).")
  int senders = 16;

  @Option(
      names = "--requesters",
      paramLabel = "N",
      description = "Closed-loop requesters for payloads < 64 KiB (default: ${DEFAULT-VALUE}).")
  int requesters = 16;

  @Option(
      names = "--large-requesters",
      paramLabel = "N",
      description = "Closed-loop requesters for payloads >= 64 KiB (default: ${DEFAULT-VALUE}).")
  int largeRequesters = 4;

  @Option(
      names = "--ask-timeout",
      paramLabel = "SECONDS",
      description = "Timeout of each ask in the latency test (default: ${DEFAULT-VALUE}).")
  double askTimeoutSeconds = 10;

  @Option(
      names = "--saturate",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = {
        "Extend the throughput warm-up until every sender's outbound queue has been full once"
            + " (or queued bytes stop growing), at most 60 s more, so the window measures the"
            + " saturated steady state (default: on; off with --quick)."
      })
  boolean saturate = true;

  @Option(
      names = "--event-loop-threads",
      paramLabel = "N",
      description = "Netty event loop threads per node; 0 = runtime default (default: 0).")
  int eventLoopThreads = 0;

  double loadAtStart;
  double loadAtEnd;

  @Override
  public Integer call() throws IOException {
    loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    validate();
    Duration measured = seconds(duration != null ? duration : quick ? 1 : 10);
    Duration warm = seconds(warmup != null ? warmup : quick ? 0 : 3);
    List<Topology> topologies = topologies();
    Path dir = output.create();
    PrintStream progress = System.err;
    List<CellResult> cells = new ArrayList<>();
    long warnings;
    long errors;
    List<String> logSamples;
    try (LogCapture logs = LogCapture.install()) {
      int total = topologies.size() * payloads.size();
      int n = 0;
      for (Topology topology : topologies) {
        for (int payload : payloads) {
          n++;
          progress.printf(
              "[%d/%d] %s, %s: throughput then latency, %s + %s s each%n",
              n,
              total,
              topology.name(),
              Report.payloadLabel(payload),
              Report.fmt("%.1f", warm.toMillis() / 1e3),
              Report.fmt("%.1f", measured.toMillis() / 1e3));
          CellResult cell = runCell(topology, payload, warm, measured);
          cells.add(cell);
          progress.println(
              cell.ok()
                  ? Report.fmt(
                      "      %,.0f msg/s, %,.1f MB/s; %,.0f req/s, p99 %,.0f us",
                      cell.throughput().messagesPerSecond(),
                      cell.throughput().megabytesPerSecond(),
                      cell.latency().requestsPerSecond(),
                      cell.latency().percentileMicros(99))
                  : "      failed: " + cell.error());
        }
      }
      loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      warnings = logs.warnings();
      errors = logs.errors();
      logSamples = logs.samples();
    }
    String table = Report.markdownTable(cells);
    Files.writeString(dir.resolve("results.csv"), Report.csv(cells), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("summary.md"),
        new RuntimeSummary(this).render(cells, table, warm, measured, warnings, errors, logSamples),
        StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println("Results written to " + dir.toAbsolutePath());
    return cells.stream().allMatch(CellResult::ok) ? 0 : 1;
  }

  private CellResult runCell(Topology topology, int payload, Duration warm, Duration measured) {
    int requesterCount = payload >= LARGE_PAYLOAD ? largeRequesters : requesters;
    System.gc(); // start each cell without the previous one's garbage
    try (ResourceSampler sampler = new ResourceSampler();
        TwoNodes nodes = TwoNodes.start(topology, eventLoopThreads, Duration.ofSeconds(20))) {
      List<Topology.Route> sendRoutes = topology.routes(senders);
      List<Topology.Route> askRoutes = topology.routes(requesterCount);
      nodes.prime(sendRoutes, Duration.ofSeconds(20));
      int primed = nodes.connections();
      ThroughputRun.Result throughput =
          new ThroughputRun(nodes, sendRoutes, payload).run(warm, measured, saturate && !quick);
      System.gc(); // the latency run should not pay for the throughput run's garbage
      LatencyRun.Result latency =
          new LatencyRun(nodes, askRoutes, payload, seconds(askTimeoutSeconds)).run(warm, measured);
      int atEnd = nodes.connections();
      sampler.close();
      return new CellResult(
          topology,
          payload,
          primed,
          atEnd,
          senders,
          throughput,
          requesterCount,
          latency,
          nodes.b.droppedInbound() + nodes.a.droppedInbound(),
          sampler.peakDirectBytes(),
          sampler.peakHeapBytes(),
          nodes.membershipEvents(),
          null);
    } catch (RuntimeException e) {
      e.printStackTrace(System.err);
      return CellResult.failed(topology, payload, e.toString());
    }
  }

  private void validate() {
    int maxPayload = RuntimeConfig.builder("defaults").build().transport().maxFrameBytes() - 1024;
    List<String> problems = new ArrayList<>();
    for (int p : payloads) {
      if (p < 0 || p > maxPayload) {
        problems.add("payload " + p + " outside 0.." + maxPayload + " bytes");
      }
    }
    if (senders < 1 || requesters < 1 || largeRequesters < 1) {
      problems.add("--senders, --requesters and --large-requesters must be >= 1");
    }
    if (channels < 1 || parallelism < 1 || parallelism > ChannelSpec.MAX_PARALLELISM) {
      problems.add("--channels must be >= 1 and --parallelism 1.." + ChannelSpec.MAX_PARALLELISM);
    }
    if ((duration != null && duration <= 0) || (warmup != null && warmup < 0)) {
      problems.add("--duration must be > 0 and --warmup >= 0");
    }
    if (askTimeoutSeconds <= 0) {
      problems.add("--ask-timeout must be > 0");
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  private List<Topology> topologies() {
    List<Topology> list = new ArrayList<>();
    for (String c : configs) {
      switch (c.trim()) {
        case "baseline" -> list.add(Topology.baseline(channels, parallelism));
        case "channels" -> list.add(Topology.multiChannel(channels, parallelism));
        default ->
            throw new ParameterException(
                spec.commandLine(), "unknown config '" + c + "' (have: baseline, channels)");
      }
    }
    return list;
  }

  private static Duration seconds(double s) {
    if (s < 0) {
      throw new IllegalArgumentException("negative duration: " + s);
    }
    return Duration.ofNanos((long) (s * 1e9));
  }

  /** The arguments of this subcommand (without the parent command's name for it). */
  List<String> originalArgs() {
    try {
      List<String> args = spec.commandLine().getParseResult().originalArgs();
      int at = args.indexOf(spec.name());
      return at >= 0 && spec.parent() != null ? args.subList(at + 1, args.size()) : args;
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
