package dev.partisan.http.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.kv.AaeStatus;
import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.TransferInfo;
import dev.partisan.ring.MemberStatus;
import dev.partisan.ring.RingState;
import dev.partisan.ring.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read-only cluster reports in the shape of {@code riak-admin member-status}, {@code ring-status},
 * {@code transfers} and {@code aae-status}, as text for people and JSON for scripts. Everything
 * comes from this node's ring and its overlay's view of who is up.
 */
public final class ClusterStatus {
  private static final String RULE = "-".repeat(79) + "\n";
  private final KvNode node;
  private final ObjectMapper json = new ObjectMapper();

  public ClusterStatus(KvNode node) {
    this.node = node;
  }

  private boolean up(String member) {
    return node.runtime().isUp(member);
  }

  private static String banner(String title) {
    int pad = Math.max(0, 79 - title.length() - 2);
    return "=".repeat(pad / 2) + " " + title + " " + "=".repeat(pad - pad / 2) + "\n";
  }

  // ------------------------------------------------------------------ member-status

  public String memberStatusText() {
    RingState ring = node.ring().ring();
    Map<String, Integer> now = counts(ring.owners());
    Map<String, Integer> future = counts(ring.futureOwners());
    int q = ring.ringSize();
    StringBuilder b = new StringBuilder(banner("Membership"));
    b.append(
        String.format(
            Locale.ROOT,
            "%-10s %6s %9s  %-11s %s%n",
            "Status",
            "Ring",
            "Pending",
            "Reachable",
            "Node"));
    b.append(RULE);
    Map<MemberStatus, Integer> byStatus = new EnumMap<>(MemberStatus.class);
    ring.members()
        .forEach(
            (m, s) -> {
              byStatus.merge(s, 1, Integer::sum);
              int o = now.getOrDefault(m, 0);
              int f = future.getOrDefault(m, 0);
              b.append(
                  String.format(
                      Locale.ROOT,
                      "%-10s %5.1f%% %9s  %-11s %s%n",
                      s.name().toLowerCase(Locale.ROOT),
                      100.0 * o / q,
                      f == o ? "--" : String.format(Locale.ROOT, "%.1f%%", 100.0 * f / q),
                      up(m) ? "up" : "unreachable",
                      m));
            });
    b.append(RULE);
    b.append(
        String.format(
            Locale.ROOT,
            "Valid:%d / Leaving:%d / Exiting:%d / Joining:%d / Down:%d%n",
            byStatus.getOrDefault(MemberStatus.VALID, 0),
            byStatus.getOrDefault(MemberStatus.LEAVING, 0),
            byStatus.getOrDefault(MemberStatus.EXITING, 0),
            byStatus.getOrDefault(MemberStatus.JOINING, 0),
            byStatus.getOrDefault(MemberStatus.DOWN, 0)));
    return b.toString();
  }

  public ObjectNode memberStatusJson() {
    RingState ring = node.ring().ring();
    Map<String, Integer> now = counts(ring.owners());
    Map<String, Integer> future = counts(ring.futureOwners());
    ObjectNode root = json.createObjectNode();
    root.put("ring_version", ring.version());
    root.put("ring_size", ring.ringSize());
    ArrayNode members = root.putArray("members");
    ring.members()
        .forEach(
            (m, s) -> {
              ObjectNode o = members.addObject();
              o.put("node", m);
              o.put("status", s.name().toLowerCase(Locale.ROOT));
              o.put("reachable", up(m));
              o.put("partitions", now.getOrDefault(m, 0));
              o.put("pending_partitions", future.getOrDefault(m, 0));
            });
    return root;
  }

  // ------------------------------------------------------------------ ring-status

  public String ringStatusText() {
    RingState ring = node.ring().ring();
    StringBuilder b = new StringBuilder(banner("Claimant"));
    b.append("Claimant:  ").append(ring.claimant()).append('\n');
    b.append("Status:     ").append(up(ring.claimant()) ? "up" : "down").append('\n');
    b.append("Ring version: ")
        .append(ring.version())
        .append(" (")
        .append(ring.ringSize())
        .append(" partitions, ")
        .append(ring.members().size())
        .append(" members)\n\n");
    b.append(banner("Ownership Handoff"));
    if (ring.transfers().isEmpty()) {
      b.append("No pending changes.\n");
    } else {
      appendTransfers(b, ring.transfers());
    }
    b.append('\n').append(banner("Unreachable Nodes"));
    List<String> down = ring.members().keySet().stream().filter(m -> !up(m)).toList();
    if (down.isEmpty()) {
      b.append("All nodes are up and reachable\n");
    } else {
      b.append("The following nodes are unreachable: ").append(down).append('\n');
    }
    return b.toString();
  }

  public ObjectNode ringStatusJson() {
    RingState ring = node.ring().ring();
    ObjectNode root = json.createObjectNode();
    root.put("claimant", ring.claimant());
    root.put("claimant_up", up(ring.claimant()));
    root.put("ring_version", ring.version());
    root.put("ring_size", ring.ringSize());
    ArrayNode members = root.putArray("members");
    ring.members().keySet().forEach(members::add);
    root.set("transfers", transfersJson(ring.transfers()));
    ArrayNode down = root.putArray("unreachable");
    ring.members().keySet().stream().filter(m -> !up(m)).forEach(down::add);
    return root;
  }

  // ------------------------------------------------------------------ transfers

  /** The ring's pending ownership transfers, then this node's handoffs (riak-admin transfers). */
  public String transfersText() {
    RingState ring = node.ring().ring();
    HandoffStatus h = node.handoffStatus();
    StringBuilder b = new StringBuilder();
    if (ring.transfers().isEmpty() && h.active().isEmpty() && h.waiting().isEmpty()) {
      b.append("No transfers active\n");
    } else {
      b.append("Pending ownership transfers in the ring: ")
          .append(ring.transfers().size())
          .append('\n');
      appendTransfers(b, ring.transfers());
    }
    b.append('\n')
        .append(node.name())
        .append(": transfer limit ")
        .append(h.concurrency())
        .append(", completed ")
        .append(h.completed())
        .append(", failed ")
        .append(h.failed())
        .append('\n');
    if (!h.active().isEmpty()) {
      b.append("Active transfers:\n");
      h.active().forEach(t -> b.append(transferLine(t)));
    }
    if (!h.waiting().isEmpty()) {
      b.append("Waiting to hand off:\n");
      for (HandoffStatus.PendingTransfer w : h.waiting()) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-9s partition %4d  %s -> %s  (%s)%n",
                lower(w.type()),
                w.partition(),
                w.from(),
                w.to(),
                w.reason()));
      }
    }
    if (!h.recent().isEmpty()) {
      b.append("Recently finished:\n");
      h.recent().forEach(t -> b.append(transferLine(t)));
    }
    return b.toString();
  }

  private static String transferLine(TransferInfo t) {
    String ago =
        t.startedAt() == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", started %.1f s ago",
                Duration.between(t.startedAt(), Instant.now()).toMillis() / 1000.0);
    return String.format(
        Locale.ROOT,
        "  %-9s partition %4d  %s -> %s  %s %s  %d objects, %d bytes (%.0f objects/s)%s%s%s%n",
        lower(t.type()),
        t.partition(),
        t.from(),
        t.to(),
        lower(t.direction()),
        t.phase(),
        t.objects(),
        t.bytes(),
        t.objectsPerSecond(),
        ago,
        t.attempt() > 1 ? ", attempt " + t.attempt() : "",
        t.lastError() == null ? "" : ", last error: " + t.lastError());
  }

  public ObjectNode transfersOnlyJson() {
    HandoffStatus h = node.handoffStatus();
    ObjectNode root = json.createObjectNode();
    root.set("ring_transfers", transfersJson(node.ring().ring().transfers()));
    root.put("node", node.name());
    root.put("transfer_limit", h.concurrency());
    root.put("completed", h.completed());
    root.put("failed", h.failed());
    root.set(
        "active", json.valueToTree(h.active().stream().map(ClusterStatus::transferMap).toList()));
    root.set(
        "recent", json.valueToTree(h.recent().stream().map(ClusterStatus::transferMap).toList()));
    ArrayNode waiting = root.putArray("waiting");
    for (HandoffStatus.PendingTransfer w : h.waiting()) {
      ObjectNode o = waiting.addObject();
      o.put("partition", w.partition());
      o.put("from", w.from());
      o.put("to", w.to());
      o.put("type", lower(w.type()));
      o.put("reason", w.reason());
    }
    return root;
  }

  private static Map<String, Object> transferMap(TransferInfo t) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("partition", t.partition());
    m.put("from", t.from());
    m.put("to", t.to());
    m.put("type", lower(t.type()));
    m.put("direction", lower(t.direction()));
    m.put("phase", t.phase());
    m.put("objects", t.objects());
    m.put("bytes", t.bytes());
    m.put("objects_per_second", t.objectsPerSecond());
    m.put("bytes_per_second", t.bytesPerSecond());
    m.put("started_at", t.startedAt() == null ? null : t.startedAt().toString());
    m.put("attempt", t.attempt());
    m.put("last_error", t.lastError());
    return m;
  }

  // ------------------------------------------------------------------ aae-status

  public String aaeStatusText() {
    AaeStatus a = node.aaeStatus();
    StringBuilder b = new StringBuilder(banner("Anti-entropy"));
    b.append(
        String.format(
            Locale.ROOT,
            "%s: %s, %d exchanges, %d keys repaired, %d repairs queued%n",
            node.name(),
            a.enabled() ? "enabled" : "disabled",
            a.exchanges(),
            a.keysRepaired(),
            a.repairQueue()));
    b.append(
        String.format(
            Locale.ROOT,
            "%-6s %-6s %-6s %-22s %-14s %9s %9s  %s%n",
            "Index",
            "Owned",
            "Trees",
            "Last exchange",
            "Partner",
            "Exchanges",
            "Repaired",
            "Last error"));
    b.append(RULE);
    for (AaeStatus.Partition p : a.partitions()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-6d %-6s %-6s %-22s %-14s %9d %9d  %s%n",
              p.partition(),
              p.owned() ? "yes" : "no",
              p.treesBuilt() ? "built" : "--",
              p.lastExchange() == null ? "never" : p.lastExchange().toString().substring(0, 19),
              p.lastPartner() == null ? "--" : p.lastPartner(),
              p.exchanges(),
              p.keysRepaired(),
              p.lastError() == null ? "" : p.lastError()));
    }
    return b.toString();
  }

  public ObjectNode aaeStatusJson() {
    AaeStatus a = node.aaeStatus();
    ObjectNode root = json.createObjectNode();
    root.put("node", node.name());
    root.put("enabled", a.enabled());
    root.put("exchanges", a.exchanges());
    root.put("keys_repaired", a.keysRepaired());
    root.put("repair_queue", a.repairQueue());
    ArrayNode parts = root.putArray("partitions");
    for (AaeStatus.Partition p : a.partitions()) {
      ObjectNode o = parts.addObject();
      o.put("partition", p.partition());
      o.put("owned", p.owned());
      o.put("trees_built", p.treesBuilt());
      o.put("trees_built_at", p.treesBuiltAt() == null ? null : p.treesBuiltAt().toString());
      o.put("last_exchange", p.lastExchange() == null ? null : p.lastExchange().toString());
      o.put("last_partner", p.lastPartner());
      o.put("exchanges", p.exchanges());
      o.put("keys_repaired", p.keysRepaired());
      o.put("last_error", p.lastError());
    }
    return root;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private ArrayNode transfersJson(List<Transfer> transfers) {
    ArrayNode a = json.createArrayNode();
    for (Transfer t : transfers) {
      ObjectNode o = a.addObject();
      o.put("partition", t.partition());
      o.put("from", t.from());
      o.put("to", t.to());
      o.put("state", t.state().name().toLowerCase(Locale.ROOT));
    }
    return a;
  }

  private static void appendTransfers(StringBuilder b, List<Transfer> transfers) {
    for (Transfer t : transfers) {
      b.append(
          String.format(
              Locale.ROOT,
              "  partition %4d  %s -> %s  %s%n",
              t.partition(),
              t.from(),
              t.to(),
              t.state().name().toLowerCase(Locale.ROOT)));
    }
  }

  private static Map<String, Integer> counts(List<String> owners) {
    Map<String, Integer> m = new TreeMap<>();
    for (String o : owners) {
      m.merge(o, 1, Integer::sum);
    }
    return m;
  }
}
