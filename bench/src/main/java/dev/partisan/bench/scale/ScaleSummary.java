package dev.partisan.bench.scale;

import dev.partisan.bench.report.MachineLines;
import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.transport.NettyTransports;
import java.util.List;
import java.util.Locale;

/**
 * The summary.md of a scale run: results, where each ladder stopped, anomalies, traffic, the
 * configuration as run and the environment. Rendered on the command's thread after every step.
 */
final class ScaleSummary {
  private final ScaleBenchCommand command;
  private final RunInfo info;
  private final List<Integer> ladder;
  private final StepSettings settings;

  ScaleSummary(
      ScaleBenchCommand command, RunInfo info, List<Integer> ladder, StepSettings settings) {
    this.command = command;
    this.info = info;
    this.ladder = ladder;
    this.settings = settings;
  }

  String render(List<StepResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Scale benchmark: overlays at growing cluster size, ")
        .append(
            command.processes > 1 ? "nodes spread over " + command.processes + " JVMs" : "one JVM")
        .append("\n\n");
    sb.append("Run from ")
        .append(info.start)
        .append(info.finished == null ? " (in progress)" : " to " + info.finished)
        .append(" with `")
        .append(command.commandLine())
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
        heap**: after a full GC at the end of the measurement. With several processes, the \
        busiest process's figure (max over processes); the sums over processes are in \
        results.csv (`*_sum`) and in the table's notes.
        - A step **FAIL**s when it does not converge within the budget or delivers less than \
        100%; **LIMIT**: not attempted, it would need more descriptors than the open-file \
        limit; the ladder of an overlay stops at its first FAIL, LIMIT or ERROR.

        """);
    stops(sb, results);
    sb.append('\n');
    sb.append("## Anomalies\n\n");
    anomalies(sb, results);
    if (command.countMessages) {
      sb.append("## Traffic by message type\n\n");
      sb.append(
          "Messages sent by all nodes during each step (start to end of the delivery tests),"
              + " counted at the sender; \"elements\" = list entries they carried (member"
              + " entries of a membership delta, ids of an IHAVE, ...). Full list in"
              + " traffic.csv.\n\n");
      sb.append(ScaleReport.trafficTable(results, 6)).append('\n');
    }
    sb.append("## Configuration\n\n");
    configuration(sb);
    environment(sb);
    return sb.toString();
  }

  /** Per overlay, the largest passing N and where its ladder stopped. */
  private void stops(StringBuilder sb, List<StepResult> results) {
    sb.append("## Where each ladder stopped\n\n");
    for (String overlay : command.overlays) {
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
          .append(info.stopped.getOrDefault(overlay, "no failing step in the ladder"))
          .append('\n');
    }
  }

  private void environment(StringBuilder sb) {
    sb.append("## Environment\n\n");
    sb.append("- JVM: ")
        .append(MachineLines.jvm())
        .append("; arguments: `")
        .append(MachineLines.jvmArguments())
        .append("`\n");
    MachineLines.heapOsCores(sb);
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
  }

  private void anomalies(StringBuilder sb, List<StepResult> results) {
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

  private void configuration(StringBuilder sb) {
    sb.append("- overlays: ")
        .append(String.join(", ", command.overlays))
        .append("; ladder N = ")
        .append(ladder)
        .append(command.max.isEmpty() ? "" : "; caps " + command.max)
        .append(command.quick ? " (--quick)" : "")
        .append('\n');
    sb.append(
            command.processes > 1
                ? "- each step's nodes spread over "
                    + command.processes
                    + " child JVMs (bench scale-host; node i in child i mod "
                    + command.processes
                    + ", JVM options "
                    + settings.processes().jvmOptions()
                    + ") on 127.0.0.1, port chosen by the OS; the nodes of a child share one Netty"
                : "- every node in this JVM on 127.0.0.1, port chosen by the OS; all share one"
                    + " Netty")
        .append(" event loop group (")
        .append(settings.eventLoops())
        .append(" threads, ")
        .append(NettyTransports.detect().socketChannel().getSimpleName())
        .append(") and one timer pool (")
        .append(settings.timerThreads())
        .append(" threads); actors run on each node's own virtual-thread executor\n");
    sb.append("- joins: ")
        .append(
            settings.joinContacts() <= 1
                ? "every node but node 0 joins through node 0"
                : "through "
                    + settings.joinContacts()
                    + " contacts, nodes 0.."
                    + (settings.joinContacts() - 1)
                    + " (--join-contacts; fewer when N is smaller, client-server: servers only):"
                    + " nodes 1.."
                    + (settings.joinContacts() - 1)
                    + " join through node 0 first, then every other node through one of them,"
                    + " drawn from the seed")
        .append("; at most ")
        .append(settings.joinConcurrency())
        .append(" in flight")
        .append(
            command.processes > 1
                ? " in all ("
                    + ProcessNodes.perProcess(settings.joinConcurrency(), command.processes)
                    + " per child)"
                : "")
        .append("; a failed join is retried once within the budget\n");
    sb.append("- convergence budget ")
        .append(settings.convergeBudget().toSeconds())
        .append(" s per step; delivery bound ")
        .append(settings.deliveryTimeout().toSeconds())
        .append(" s for the broadcast and for the unicasts; ")
        .append(settings.pairs())
        .append(" unicast pairs (sent at once, seed ")
        .append(settings.seed())
        .append(")\n");
    timings(sb);
    hyparview(sb);
    sb.append("- client-server: ")
        .append(
            command.servers.equals("auto") ? "max(2, N/16) servers" : command.servers + " servers")
        .append(" (nodes 0.. are servers, node 0 the contact), the rest clients\n");
    sb.append("- channels: runtime defaults (default and membership, one lane each), no ack\n");
    sb.append("- descriptor guard: ")
        .append(command.fdGuard ? "on" : "off")
        .append(" (estimate: ~2 per in-process connection + 1 per node, see fd_estimate)\n\n");
  }

  /** The relaxed timings and from which N they apply, beside the runtime's defaults. */
  private void timings(StringBuilder sb) {
    RuntimeConfig defaults = RuntimeConfig.builder("defaults").build();
    StepTimings relaxed = command.timing.timingsFor(Integer.MAX_VALUE);
    sb.append("- timings: ")
        .append(
            command.timing.relaxedFrom <= ladder.get(0)
                ? "relaxed for every step: "
                : "relaxed for N >= " + command.timing.relaxedFrom + ": ")
        .append(relaxed.label())
        .append(" (runtime defaults: heartbeat ")
        .append(defaults.failureDetection().heartbeatInterval().toMillis())
        .append(" ms, detection ")
        .append(defaults.failureDetection().detectionTime().toMillis())
        .append(" ms, gossip ")
        .append(defaults.failureDetection().gossipInterval().toMillis())
        .append(" ms). Relaxed because hundreds of nodes share 2 cores: default heartbeats")
        .append(" would make the failure detector suspect nodes that are merely slow\n");
  }

  private static void hyparview(StringBuilder sb) {
    OverlaySettings.HyParView hv = OverlaySettings.HyParView.defaults();
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
  }
}
