package dev.partisan.kv.report;

import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.channel.ChannelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Cluster-wide node reports (for the operator console): every node runs a {@link ReportResponder};
 * {@link #collect} asks every member for its {@link NodeReport} in parallel and gathers what
 * arrives in time. Thread-safe: any thread may call it.
 *
 * <p>The requests go on the runtime's {@code default} channel: not {@code request}, whose lanes
 * carry client operations (a report must neither queue behind them nor add to the traffic it
 * measures), and not {@code handoff} or {@code anti-entropy}, whose bulk lanes may hold megabytes
 * of batches exactly when an operator looks at a handoff. The default channel carries small control
 * messages (coverage pages ride it too), so a report arrives while the others are busy.
 */
public final class NodeReports {
  private final PartisanRuntime runtime;
  private final ReportBuilder builder;
  private final Supplier<Set<String>> ringMembers;

  private NodeReports(
      PartisanRuntime runtime, ReportBuilder builder, Supplier<Set<String>> ringMembers) {
    this.runtime = runtime;
    this.builder = builder;
    this.ringMembers = ringMembers;
  }

  /**
   * Spawns this node's responder; call once per node, at start.
   *
   * @param ringMembers the ring's members as this node sees them (asked besides overlay members)
   */
  public static NodeReports install(
      PartisanRuntime runtime,
      Supplier<HandoffStatus> handoff,
      LongSupplier handoffRateLimit,
      Supplier<AaeStatus> aae,
      Supplier<Set<String>> ringMembers) {
    ReportBuilder builder = new ReportBuilder(runtime, handoff, handoffRateLimit, aae);
    runtime.spawn(ReportResponder.NAME, new ReportResponder(builder::build));
    return new NodeReports(runtime, builder, ringMembers);
  }

  /**
   * Where this node's reports take their request latency from (the HTTP or PB server, which time
   * requests); called each time a report is built, on any thread. Without one the list is empty.
   */
  public NodeReports latencySource(Supplier<List<LatencySummary>> source) {
    builder.latencySource(source);
    return this;
  }

  /** This node's client URLs (e.g. its HTTP API), for links between the nodes' consoles. */
  public NodeReports clientUrls(Supplier<List<String>> source) {
    builder.clientUrls(source);
    return this;
  }

  /** This node's report, built now on the calling thread. */
  public NodeReport local() {
    return builder.build();
  }

  /** Ring members and overlay members, this node included, sorted. */
  public Set<String> members() {
    Set<String> all = new TreeSet<>(ringMembers.get());
    for (NodeId id : runtime.overlay().members()) {
      all.add(id.name());
    }
    all.add(runtime.self().name());
    return all;
  }

  /**
   * Asks every member (ring members and overlay members) for its report at once and completes when
   * all have answered or {@code timeout} has passed, with the reports that arrived and the names of
   * the members that did not. Never completes exceptionally because a member is down or slow; this
   * node's report is built directly, without the network.
   */
  public CompletableFuture<ClusterReports> collect(Duration timeout) {
    String self = runtime.self().name();
    Map<String, CompletableFuture<NodeReport>> asked = new TreeMap<>();
    for (String member : members()) {
      asked.put(
          member,
          member.equals(self)
              ? CompletableFuture.completedFuture(local())
              : ask(member, timeout, self));
    }
    return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<NodeReport> reports = new ArrayList<>();
              List<String> missing = new ArrayList<>();
              asked.forEach(
                  (member, f) -> {
                    NodeReport r = f.join();
                    if (r == null) {
                      missing.add(member);
                    } else {
                      reports.add(r);
                    }
                  });
              return new ClusterReports(reports, missing);
            });
  }

  /** The member's report, or null when it does not come in time or is not a report. */
  private CompletableFuture<NodeReport> ask(String member, Duration timeout, String self) {
    CompletableFuture<Object> reply;
    try {
      reply =
          runtime.ask(
              ActorRef.of(member, ReportResponder.NAME),
              new ReportRequest(self),
              timeout,
              SendOptions.on(ChannelSpec.DEFAULT));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(null);
    }
    return reply
        .orTimeout(timeout.toMillis() + 100, TimeUnit.MILLISECONDS)
        .handle(
            (r, e) ->
                r instanceof NodeReport report && report.node().equals(member) ? report : null);
  }
}
