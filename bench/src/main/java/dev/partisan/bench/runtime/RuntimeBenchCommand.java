package dev.partisan.bench.runtime;

import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: bench-results/runtime/<timestamp>/).")
  Path out;

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

  private double loadAtStart;
  private double loadAtEnd;

  @Override
  public Integer call() throws IOException {
    loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    validate();
    Duration measured = seconds(duration != null ? duration : quick ? 1 : 10);
    Duration warm = seconds(warmup != null ? warmup : quick ? 0 : 3);
    List<Topology> topologies = topologies();
    Path dir = out != null ? out : defaultOutDir();
    Files.createDirectories(dir);
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
        summary(cells, table, warm, measured, warnings, errors, logSamples),
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

  private static Path defaultOutDir() {
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("bench-results", "runtime", ts);
  }

  private String summary(
      List<CellResult> cells,
      String table,
      Duration warm,
      Duration measured,
      long warnings,
      long errors,
      List<String> logSamples) {
    RuntimeConfig defaults = RuntimeConfig.builder("defaults").build();
    Runtime rt = Runtime.getRuntime();
    StringBuilder sb = new StringBuilder();
    sb.append("# Runtime benchmark: two nodes over loopback TCP\n\n");
    sb.append("Run at ")
        .append(LocalDateTime.now().withNano(0))
        .append(" with `")
        .append(("bench runtime " + String.join(" ", originalArgs())).trim())
        .append("`\n\n");
    sb.append("## Results\n\n").append(table).append('\n');
    sb.append(
        """
        - **msg/s, MB/s**: one-way A->B, counted by the receiving actors on B during the measured \
        window (MB = 10^6 bytes of payload, headers excluded), with every sender saturating its \
        connection. **QUEUE_FULL/s**: sends refused because a connection's outbound queue was at \
        its byte bound; the sender backs off exponentially (20 us to 1 ms for 1 KiB, 1 ms to 10 ms \
        for 1 MiB: each refused attempt costs a full encode) and retries the same message.
        - **req/s, p50..max**: ask/reply round trips (request carries the payload, the reply is a \
        tiny ack) by closed-loop requesters; every round trip that started and ended in the \
        window is in an HdrHistogram. Closed loop: no coordinated-omission correction.
        - **Conns**: TCP connections between the two nodes after every route was used once \
        (outside baseline mode this includes the membership channel's connection).

        """);
    sb.append("## Configuration\n\n");
    for (Topology c : cells.stream().map(CellResult::topology).distinct().toList()) {
      sb.append("- `").append(c.name()).append("`: ").append(c.describe()).append('\n');
    }
    sb.append("- payloads: ")
        .append(String.join(", ", payloads.stream().map(Report::payloadLabel).toList()))
        .append('\n');
    sb.append(
        Report.fmt(
            "- per cell: %.1f s warm-up + %.1f s measured for throughput, then the same for"
                + " latency, on two freshly started nodes%s%n",
            warm.toMillis() / 1e3, measured.toMillis() / 1e3, quick ? " (--quick)" : ""));
    sb.append(
        saturate && !quick
            ? "- throughput warm-up extended until every sender's queue was full once or the"
                + " queued bytes stopped growing (at most 60 s more; actual time in the details)\n"
            : "- throughput warm-up not extended to saturation\n");
    sb.append("- throughput: ")
        .append(senders)
        .append(" sender threads on A, each with its own partition key and receiving actor on B;")
        .append(" worker i uses channel bench(i mod ")
        .append(channels)
        .append(") and a key hashing to lane (i div ")
        .append(channels)
        .append(") mod ")
        .append(parallelism)
        .append('\n');
    sb.append("- latency: ")
        .append(requesters)
        .append(" closed-loop requester threads (")
        .append(largeRequesters)
        .append(" for payloads >= 64 KiB), same route scheme, one echo actor each; ask timeout ")
        .append(Report.fmt("%.1f", askTimeoutSeconds))
        .append(" s\n");
    sb.append("- channels: no ack, no compression, not monotonic; outbound queue bound ")
        .append(ChannelSpec.DEFAULT_MAX_QUEUED_BYTES >> 20)
        .append(" MiB per connection; max frame ")
        .append(defaults.transport().maxFrameBytes() >> 20)
        .append(" MiB; mailbox capacity ")
        .append(defaults.executors().mailboxCapacity())
        .append(" messages\n");
    sb.append("- nodes: one JVM, 127.0.0.1, each node with its own Netty event loop group (")
        .append(eventLoopThreads > 0 ? eventLoopThreads : defaults.executors().eventLoopThreads())
        .append(" threads, ")
        .append(NettyTransports.detect().socketChannel().getSimpleName())
        .append(") and virtual-thread actor executor; default failure detector (heartbeat ")
        .append(defaults.failureDetection().heartbeatInterval().toMillis())
        .append(" ms, detection ")
        .append(defaults.failureDetection().detectionTime().toMillis())
        .append(" ms)\n\n");
    sb.append("## Environment\n\n");
    sb.append("- JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(Runtime.version())
        .append(" (")
        .append(System.getProperty("java.vendor"))
        .append(")\n");
    sb.append("- JVM arguments: `")
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
    sb.append(
        Report.fmt(
            "- system load average (1 min) at start / end: %.2f / %.2f%n%n",
            loadAtStart, loadAtEnd));
    sb.append("## Details per cell\n\n").append(Report.detailsTable(cells)).append('\n');
    sb.append(
        """
        Accepted and Rejections are counted in the measured throughput window. Lost = accepted \
        by A but never delivered on B once the senders stopped (drain bounded at 60 s). Out of \
        order = a sender's sequence number not one more than the previous one seen by its \
        receiver (loss or reordering on a FIFO lane). Dropped inbound = messages a node \
        received but could not deliver (unknown actor, full mailbox). GC = collections and their \
        accumulated time during the measured windows. A timer thread CPU = share of one core used \
        by node A's `partisan-timer` thread during the latency window (it also runs heartbeats). \
        Peak direct = Netty pooled direct memory in use (both nodes), sampled every 50 ms; peak \
        heap includes garbage not yet collected.

        """);
    sb.append("## Anomalies\n\n");
    List<String> anomalies = anomalies(cells, warnings, errors);
    if (anomalies.isEmpty()) {
      sb.append("None observed.\n");
    } else {
      anomalies.forEach(a -> sb.append("- ").append(a).append('\n'));
    }
    if (!logSamples.isEmpty()) {
      sb.append("\nFirst log warnings/errors:\n\n```\n");
      logSamples.forEach(s -> sb.append(s).append('\n'));
      sb.append("```\n");
    }
    return sb.toString();
  }

  private List<String> anomalies(List<CellResult> cells, long warnings, long errors) {
    List<String> list = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    if (Math.max(loadAtStart, loadAtEnd) > cores) {
      list.add(
          Report.fmt(
              "system load average %.2f at start and %.2f at end exceeds the %d cores: other"
                  + " processes competed for the CPU, numbers are pessimistic and noisy",
              loadAtStart, loadAtEnd, cores));
    }
    for (CellResult c : cells) {
      String where = c.topology().name() + " " + Report.payloadLabel(c.payloadBytes()) + ": ";
      if (!c.ok()) {
        list.add(where + "failed: " + c.error());
        continue;
      }
      ThroughputRun.Result t = c.throughput();
      LatencyRun.Result l = c.latency();
      if (c.connectionsAfterPrime() != c.topology().expectedConnections()
          || c.connectionsAtEnd() != c.connectionsAfterPrime()) {
        list.add(
            where
                + "expected "
                + c.topology().expectedConnections()
                + " connections, saw "
                + c.connectionsAfterPrime()
                + " after priming and "
                + c.connectionsAtEnd()
                + " at the end");
      }
      if (t.otherRejections() > 0) {
        list.add(where + "sends refused for reasons other than QUEUE_FULL: " + t.rejections());
      }
      if (t.lostAfterDrain() != 0 || !t.drained()) {
        list.add(where + t.lostAfterDrain() + " accepted messages never delivered");
      }
      if (t.outOfOrder() > 0) {
        list.add(where + t.outOfOrder() + " out-of-order or missing messages on FIFO lanes");
      }
      if (c.droppedInbound() > 0) {
        list.add(where + c.droppedInbound() + " inbound messages dropped");
      }
      if (l.timeouts() + l.failures() + l.queueFull() > 0) {
        list.add(
            where
                + Report.fmt(
                    "%d ask timeouts, %d failures, %d QUEUE_FULL (first: %s)",
                    l.timeouts(), l.failures(), l.queueFull(), l.firstFailure()));
      }
      if (l.timerCpuShare() > 0.05) {
        list.add(
            where
                + Report.fmt(
                    "node A's timer thread (which also runs heartbeats) used %.0f%% of a core"
                        + " during the latency window: expired ask timeouts are still executed"
                        + " after the replies arrived",
                    100 * l.timerCpuShare()));
      }
      if (l.requests() == 0 || t.messages() == 0) {
        list.add(where + "no traffic measured");
      }
      for (String e : c.membershipEvents()) {
        list.add(where + "membership event during the run: " + e);
      }
    }
    if (warnings + errors > 0) {
      list.add(warnings + " WARN and " + errors + " ERROR log events (samples below)");
    }
    return list;
  }

  /** The arguments of this subcommand (without the parent command's name for it). */
  private List<String> originalArgs() {
    try {
      List<String> args = spec.commandLine().getParseResult().originalArgs();
      int at = args.indexOf(spec.name());
      return at >= 0 && spec.parent() != null ? args.subList(at + 1, args.size()) : args;
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
