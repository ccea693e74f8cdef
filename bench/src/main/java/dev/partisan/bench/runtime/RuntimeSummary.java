package dev.partisan.bench.runtime;

import dev.partisan.bench.report.MachineLines;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.transport.NettyTransports;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary.md of {@code bench runtime}: the results table and its legend, the configuration as
 * run, the environment, details per cell and anomalies. Rendered once, on the command's thread.
 */
final class RuntimeSummary {
  private final RuntimeBenchCommand command;

  RuntimeSummary(RuntimeBenchCommand command) {
    this.command = command;
  }

  String render(
      List<CellResult> cells,
      String table,
      Duration warm,
      Duration measured,
      long warnings,
      long errors,
      List<String> logSamples) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Runtime benchmark: two nodes over loopback TCP\n\n");
    sb.append("Run at ")
        .append(LocalDateTime.now().withNano(0))
        .append(" with `")
        .append(("bench runtime " + String.join(" ", command.originalArgs())).trim())
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
    configuration(sb, cells, warm, measured);
    environment(sb);
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
    anomalies(sb, cells, warnings, errors, logSamples);
    return sb.toString();
  }

  private void configuration(
      StringBuilder sb, List<CellResult> cells, Duration warm, Duration measured) {
    RuntimeConfig defaults = RuntimeConfig.builder("defaults").build();
    int eventLoopThreads = command.eventLoopThreads;
    sb.append("## Configuration\n\n");
    for (Topology c : cells.stream().map(CellResult::topology).distinct().toList()) {
      sb.append("- `").append(c.name()).append("`: ").append(c.describe()).append('\n');
    }
    sb.append("- payloads: ")
        .append(String.join(", ", command.payloads.stream().map(Report::payloadLabel).toList()))
        .append('\n');
    sb.append(
        Report.fmt(
            "- per cell: %.1f s warm-up + %.1f s measured for throughput, then the same for"
                + " latency, on two freshly started nodes%s%n",
            warm.toMillis() / 1e3, measured.toMillis() / 1e3, command.quick ? " (--quick)" : ""));
    sb.append(
        command.saturate && !command.quick
            ? "- throughput warm-up extended until every sender's queue was full once or the"
                + " queued bytes stopped growing (at most 60 s more; actual time in the details)\n"
            : "- throughput warm-up not extended to saturation\n");
    sb.append("- throughput: ")
        .append(command.senders)
        .append(" sender threads on A, each with its own partition key and receiving actor on B;")
        .append(" worker i uses channel bench(i mod ")
        .append(command.channels)
        .append(") and a key hashing to lane (i div ")
        .append(command.channels)
        .append(") mod ")
        .append(command.parallelism)
        .append('\n');
    sb.append("- latency: ")
        .append(command.requesters)
        .append(" closed-loop requester threads (")
        .append(command.largeRequesters)
        .append(" for payloads >= 64 KiB), same route scheme, one echo actor each; ask timeout ")
        .append(Report.fmt("%.1f", command.askTimeoutSeconds))
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
  }

  private void environment(StringBuilder sb) {
    sb.append("## Environment\n\n");
    sb.append("- JVM: ").append(MachineLines.jvm()).append('\n');
    sb.append("- JVM arguments: `").append(MachineLines.jvmArguments()).append("`\n");
    MachineLines.heapOsCores(sb);
    sb.append(
        Report.fmt(
            "- system load average (1 min) at start / end: %.2f / %.2f%n%n",
            command.loadAtStart, command.loadAtEnd));
  }

  private void anomalies(
      StringBuilder sb,
      List<CellResult> cells,
      long warnings,
      long errors,
      List<String> logSamples) {
    sb.append("## Anomalies\n\n");
    List<String> anomalies = anomalyList(cells, warnings, errors);
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
  }

  private List<String> anomalyList(List<CellResult> cells, long warnings, long errors) {
    List<String> list = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    if (Math.max(command.loadAtStart, command.loadAtEnd) > cores) {
      list.add(
          Report.fmt(
              "system load average %.2f at start and %.2f at end exceeds the %d cores: other"
                  + " processes competed for the CPU, numbers are pessimistic and noisy",
              command.loadAtStart, command.loadAtEnd, cores));
    }
    for (CellResult c : cells) {
      cellAnomalies(c, list);
    }
    if (warnings + errors > 0) {
      list.add(warnings + " WARN and " + errors + " ERROR log events (samples below)");
    }
    return list;
  }

  /** What went wrong in one cell: failure, connections, loss, order, drops, asks, the timer. */
  private static void cellAnomalies(CellResult c, List<String> list) {
    String where = c.topology().name() + " " + Report.payloadLabel(c.payloadBytes()) + ": ";
    if (!c.ok()) {
      list.add(where + "failed: " + c.error());
      return;
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
}
