package dev.partisan.http.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.admin.ClusterStatus;
import dev.partisan.http.admin.FaultAdmin;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.report.ClusterReports;
import dev.partisan.kv.report.LatencySummary;
import dev.partisan.kv.report.NodeReport;
import dev.partisan.kv.report.NodeReport.ActiveTransfer;
import dev.partisan.kv.report.NodeReport.LaneReport;
import dev.partisan.ring.RingState;
import dev.partisan.ring.Transfer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the console's snapshot (version 1, docs/console.md) from one round of node reports and
 * this node's own ring, overlay, fault rules and flags. Rates come from {@link LaneRates}, so a
 * builder is owned by the one thread that samples (the console sampler's).
 */
final class SnapshotJson {
  static final int VERSION = 1;

  private final KvNode node;
  private final ClusterStatus status;
  private final FaultAdmin faults;
  private final boolean admin;
  private final long intervalMs;
  private final ObjectMapper json = new ObjectMapper();
  // Owned by the sampler thread, as is this builder.
  private final LaneRates rates = new LaneRates();

  SnapshotJson(KvNode node, boolean admin, long intervalMs) {
    this.node = node;
    this.status = new ClusterStatus(node);
    this.faults = new FaultAdmin(node);
    this.admin = admin;
    this.intervalMs = intervalMs;
  }

  ObjectNode build(ClusterReports round, long timeMs) {
    ObjectNode root = json.createObjectNode();
    root.put("version", VERSION);
    root.put("node", node.name());
    root.put("time_ms", timeMs);
    root.put("interval_ms", intervalMs);
    root.put("admin", admin);
    root.put("security", node.security().enabled());
    root.put("overlay", node.runtime().config().overlay().kind());
    Set<String> reported = new TreeSet<>();
    round.reports().forEach(r -> reported.add(r.node()));
    List<String> names = members(root.putArray("members"), reported);
    ArrayNode unreported = root.putArray("unreported");
    round.missing().forEach(unreported::add);
    graph(root.putObject("graph"), names, round.reports());
    ring(root.putObject("ring"));
    ArrayNode traffic = root.putArray("traffic");
    ArrayNode latency = root.putArray("latency");
    ArrayNode handoff = root.putArray("handoff");
    ArrayNode aae = root.putArray("aae");
    for (NodeReport r : round.reports()) {
      LaneRates.NodeRates nodeRates = rates.observe(r);
      r.lanes().forEach(l -> traffic(traffic.addObject(), r.node(), l, nodeRates.lane(l)));
      r.latency().forEach(s -> latency(latency.addObject(), r.node(), s));
      handoff(handoff.addObject(), r, nodeRates.handoffBytesPerSecond());
      ObjectNode a = aae.addObject();
      a.put("node", r.node());
      a.put("enabled", r.aae().enabled());
      a.put("exchanges", r.aae().exchanges());
      a.put("keys_repaired", r.aae().keysRepaired());
      a.put("repair_queue", r.aae().repairQueue());
    }
    rates.retain(names);
    ObjectNode f = root.putObject("faults");
    f.put("node", node.name());
    ArrayNode cut = f.putArray("partitioned_from");
    faults.partitioned().forEach(cut::add);
    return root;
  }

  /**
   * The ring's members as {@code member-status} shows them, then overlay members the ring does not
   * list yet (a node that joined the overlay but whose join the claimant has not committed) with
   * status {@code not_in_ring}; returns every name, ring members first.
   */
  private List<String> members(ArrayNode out, Set<String> reported) {
    List<String> names = new ArrayList<>();
    ArrayNode ringMembers = (ArrayNode) status.memberStatusJson().get("members");
    ringMembers.forEach(
        m -> {
          ObjectNode o = ((ObjectNode) m).deepCopy();
          String name = o.get("node").asText();
          o.put("reported", reported.contains(name));
          out.add(o);
          names.add(name);
        });
    for (String other : node.reports().members()) {
      if (!names.contains(other)) {
        ObjectNode o = out.addObject();
        o.put("node", other);
        o.put("status", "not_in_ring");
        o.put("reachable", node.runtime().isUp(other));
        o.put("partitions", 0);
        o.put("pending_partitions", 0);
        o.put("reported", reported.contains(other));
        names.add(other);
      }
    }
    return names;
  }

  private static void graph(ObjectNode out, List<String> names, List<NodeReport> reports) {
    ArrayNode nodes = out.putArray("nodes");
    names.stream().sorted().forEach(nodes::add);
    ArrayNode edges = out.putArray("edges");
    for (NodeReport r : reports) {
      for (String n : r.neighbours()) {
        ObjectNode e = edges.addObject();
        e.put("from", r.node());
        e.put("to", n);
      }
    }
  }

  private void ring(ObjectNode out) {
    RingState ring = node.ring().ring();
    out.put("size", ring.ringSize());
    out.put("version", ring.version());
    out.put("claimant", ring.claimant());
    Map<Integer, String> next = new TreeMap<>();
    for (Transfer t : ring.transfers()) {
      next.put(t.partition(), t.to());
    }
    ArrayNode partitions = out.putArray("partitions");
    List<String> owners = ring.owners();
    for (int p = 0; p < owners.size(); p++) {
      ObjectNode o = partitions.addObject();
      o.put("index", p);
      o.put("owner", owners.get(p));
      o.put("next_owner", next.get(p)); // null unless an ownership transfer is pending
    }
  }

  private static void traffic(ObjectNode o, String node, LaneReport l, LaneRates.Rate rate) {
    o.put("node", node);
    o.put("peer", l.peer());
    o.put("channel", l.channel());
    o.put("lane", l.lane());
    o.put("class", l.trafficClass());
    o.put("messages_per_s", rate.messagesPerSecond());
    o.put("bytes_per_s", rate.bytesPerSecond());
    o.put("queued_messages", l.queuedMessages());
    o.put("queued_bytes", l.queuedBytes());
    o.put("send_wait_ms", rate.sendWaitMs());
    o.put("send_wait_max_ms", l.sendWaitMaxNanos() / 1e6);
  }

  private static void latency(ObjectNode o, String node, LatencySummary s) {
    o.put("node", node);
    o.put("api", s.api());
    o.put("op", s.op());
    o.put("count", s.count());
    o.put("p50_ms", s.p50Ms());
    o.put("p95_ms", s.p95Ms());
    o.put("p99_ms", s.p99Ms());
  }

  private static void handoff(ObjectNode o, NodeReport r, double bytesPerSecond) {
    NodeReport.HandoffSummary h = r.handoff();
    o.put("node", r.node());
    o.put("transfer_limit", h.concurrency());
    o.put("rate_limit_bytes_per_s", h.rateLimitBytesPerSecond());
    o.put("waiting", h.waiting());
    o.put("completed", h.completed());
    o.put("failed", h.failed());
    o.put("objects_sent", h.objectsSent());
    o.put("bytes_sent", h.bytesSent());
    o.put("bytes_per_s", bytesPerSecond);
    ArrayNode active = o.putArray("active");
    for (ActiveTransfer t : h.active()) {
      ObjectNode a = active.addObject();
      a.put("partition", t.partition());
      a.put("from", t.from());
      a.put("to", t.to());
      a.put("type", t.type());
      a.put("direction", t.direction());
      a.put("phase", t.phase());
      a.put("objects", t.objects());
      a.put("bytes", t.bytes());
      a.put("bytes_per_s", t.bytesPerSecond());
    }
  }
}
