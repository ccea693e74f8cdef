package dev.partisan.http.metrics;

import dev.partisan.kv.KvNode;
import dev.partisan.kv.KvStats;
import dev.partisan.runtime.channel.LaneMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes the runtime's and the store's own counters as meters. Lanes appear as peers connect, so
 * {@link #refresh} (called before every scrape) registers meters for lanes it has not seen and
 * keeps the latest snapshot that their functions read: one snapshot per scrape, not one per meter.
 *
 * <p>Series: {@code partisan_lane_messages_sent_total} and friends, tagged peer, channel, lane;
 * {@code partisan_lane_queued_messages} / {@code _queued_bytes} (queue depth); {@code
 * partisan_lane_send_wait_seconds} (count and sum: time queued before the socket) and {@code
 * _send_wait_max_seconds}; {@code kv_vnode_mailbox_depth_max}, {@code kv_vnode_mailbox_queued};
 * {@code kv_node_*_total} from the coordinators' counters; {@code kv_vnodes_running}; {@code
 * kv_ring_members}, {@code kv_ring_version}; {@code kv_handoff_*} and {@code kv_aae_*} from the
 * store's operator views; {@code partisan_members_up}.
 */
public final class MetricsBinder {
  private record LaneKey(String peer, String channel, int lane) {}

  private final KvNode node;
  private final MeterRegistry registry;
  private final Map<LaneKey, LaneMetrics.Snapshot> latest = new ConcurrentHashMap<>();

  public MetricsBinder(KvNode node, MeterRegistry registry) {
    this.node = node;
    this.registry = registry;
    bindStore();
  }

  private void bindStore() {
    KvStats s = node.stats();
    counter("kv.node.gets", "reads coordinated by this node", s, KvStats::gets);
    counter("kv.node.puts", "writes coordinated by this node", s, KvStats::puts);
    counter("kv.node.deletes", "deletes coordinated by this node", s, KvStats::deletes);
    counter("kv.node.failures", "requests of this node that failed", s, KvStats::failures);
    counter("kv.read.repairs", "read repairs sent", s, KvStats::readRepairs);
    counter("kv.tombstone.reaps", "tombstone reaps sent", s, KvStats::reaps);
    gauge("kv.vnodes.running", "vnodes running on this node", n -> n.vnodes().running().size());
    gauge(
        "kv.partitions.owned",
        "partitions this node owns in the ring",
        n -> n.ring().ring().partitionsOwnedBy(n.name()).size());
    gauge("kv.ring.members", "members of the ring", n -> n.ring().ring().members().size());
    gauge("kv.ring.version", "version of this node's ring", n -> n.ring().version());
    gauge(
        "kv.ring.pending.transfers",
        "ownership transfers pending",
        n -> n.ring().ring().transfers().size());
    gauge(
        "partisan.members.up",
        "overlay members this node considers up (itself included)",
        n -> n.runtime().overlay().upMembers().size());
    gauge(
        "kv.handoff.active",
        "handoffs running on this node",
        n -> n.handoffStatus().active().size());
    gauge(
        "kv.handoff.waiting",
        "handoffs due on this node but not started",
        n -> n.handoffStatus().waiting().size());
    FunctionCounter.builder("kv.handoff.completed", node, n -> n.handoffStatus().completed())
        .description("outbound handoffs completed")
        .register(registry);
    FunctionCounter.builder("kv.handoff.failed", node, n -> n.handoffStatus().failed())
        .description("outbound handoff attempts that failed")
        .register(registry);
    FunctionCounter.builder("kv.aae.exchanges", node, n -> n.aaeStatus().exchanges())
        .description("anti-entropy exchanges completed")
        .register(registry);
    FunctionCounter.builder("kv.aae.keys.repaired", node, n -> n.aaeStatus().keysRepaired())
        .description("keys repaired by anti-entropy")
        .register(registry);
    gauge(
        "kv.aae.repair.queue",
        "keys waiting for an anti-entropy repair",
        n -> n.aaeStatus().repairQueue());
    gauge(
        "kv.vnode.mailbox.depth.max",
        "deepest vnode mailbox on this node (requests waiting)",
        n -> vnodeMailboxDepths(n).max().orElse(0));
    gauge(
        "kv.vnode.mailbox.queued",
        "requests waiting in all vnode mailboxes of this node",
        n -> vnodeMailboxDepths(n).sum());
    gauge(
        "partisan.dropped.inbound",
        "messages received that found no recipient",
        n -> n.runtime().droppedInbound());
  }

  private static java.util.stream.IntStream vnodeMailboxDepths(KvNode n) {
    return n.vnodes().running().stream()
        .map(p -> n.vnodes().running(p))
        .filter(java.util.Objects::nonNull)
        .mapToInt(ref -> Math.max(0, n.runtime().mailboxDepth(ref.name())));
  }

  private void counter(String name, String help, KvStats s, ToLongFunction<KvStats> f) {
    FunctionCounter.builder(name, s, x -> f.applyAsLong(x)).description(help).register(registry);
  }

  private void gauge(String name, String help, ToDoubleFunction<KvNode> f) {
    Gauge.builder(name, node, f).description(help).register(registry);
  }

  /** Takes one snapshot of every lane and registers meters for new lanes. */
  public void refresh() {
    List<LaneMetrics.Snapshot> snaps = node.runtime().metrics();
    for (LaneMetrics.Snapshot s : snaps) {
      LaneKey k = new LaneKey(s.peer(), s.channel(), s.lane());
      if (latest.put(k, s) == null) {
        registerLane(k, s.trafficClass().settingName());
      }
    }
  }

  /** Meters of one lane, tagged with its traffic class (fixed for a channel's life). */
  private void registerLane(LaneKey k, String trafficClass) {
    Tags tags =
        Tags.of(
            "peer",
            k.peer(),
            "channel",
            k.channel(),
            "lane",
            Integer.toString(k.lane()),
            "class",
            trafficClass);
    laneCounter(
        "partisan.lane.messages.sent",
        "messages sent",
        k,
        tags,
        LaneMetrics.Snapshot::messagesSent);
    laneCounter("partisan.lane.bytes.sent", "bytes sent", k, tags, LaneMetrics.Snapshot::bytesSent);
    laneCounter(
        "partisan.lane.messages.received",
        "messages received",
        k,
        tags,
        LaneMetrics.Snapshot::messagesReceived);
    laneCounter(
        "partisan.lane.bytes.received",
        "bytes received",
        k,
        tags,
        LaneMetrics.Snapshot::bytesReceived);
    laneCounter(
        "partisan.lane.rejected",
        "sends refused (queue full, too large)",
        k,
        tags,
        LaneMetrics.Snapshot::rejected);
    laneCounter(
        "partisan.lane.conflated",
        "queued messages replaced (monotonic channels)",
        k,
        tags,
        LaneMetrics.Snapshot::conflated);
    laneCounter(
        "partisan.lane.retransmitted",
        "messages resent after a reconnect (ack channels)",
        k,
        tags,
        LaneMetrics.Snapshot::retransmitted);
    laneGauge(
        "partisan.lane.queued.messages",
        "messages queued to send (queue depth)",
        k,
        tags,
        LaneMetrics.Snapshot::queuedMessages);
    laneGauge(
        "partisan.lane.queued.bytes",
        "bytes queued to send",
        k,
        tags,
        LaneMetrics.Snapshot::queuedBytes);
    FunctionTimer.builder(
            "partisan.lane.send.wait",
            latest,
            m -> m.get(k).messagesSent(),
            m -> m.get(k).sendWaitNanos(),
            TimeUnit.NANOSECONDS)
        .description("time from encoding a message to handing it to the socket (queueing)")
        .tags(tags)
        .register(registry);
    Gauge.builder("partisan.lane.send.wait.max", latest, m -> m.get(k).sendWaitMaxNanos() / 1e9)
        .description("longest send wait on this lane since it was created")
        .baseUnit("seconds")
        .tags(tags)
        .register(registry);
    laneGauge(
        "partisan.lane.unacked",
        "messages sent and not yet acknowledged",
        k,
        tags,
        LaneMetrics.Snapshot::unacked);
  }

  private void laneCounter(
      String name, String help, LaneKey k, Tags tags, ToLongFunction<LaneMetrics.Snapshot> f) {
    FunctionCounter.builder(name, latest, m -> f.applyAsLong(m.get(k)))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private void laneGauge(
      String name, String help, LaneKey k, Tags tags, ToLongFunction<LaneMetrics.Snapshot> f) {
    Gauge.builder(name, latest, m -> f.applyAsLong(m.get(k)))
        .description(help)
        .tags(tags)
        .register(registry);
  }
}
