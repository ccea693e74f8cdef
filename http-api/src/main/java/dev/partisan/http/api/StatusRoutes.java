package dev.partisan.http.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.metrics.MetricsBinder;
import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.KvStats;
import dev.partisan.ring.RingState;
import dev.partisan.runtime.NodeId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /ping}, {@code GET /stats} (JSON, riak's names where they exist), {@code GET
 * /metrics}.
 */
public final class StatusRoutes {
  private final KvNode node;
  private final PrometheusMeterRegistry registry;
  private final MetricsBinder binder;
  private final RequestMetrics requests;

  public StatusRoutes(
      KvNode node,
      PrometheusMeterRegistry registry,
      MetricsBinder binder,
      RequestMetrics requests) {
    this.node = node;
    this.registry = registry;
    this.binder = binder;
    this.requests = requests;
  }

  public void register(RoutesConfig routes) {
    routes.get("/ping", ctx -> Requests.text(ctx, 200, "OK"));
    routes.get("/stats", this::stats);
    routes.get("/metrics", this::metrics);
  }

  private void metrics(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    binder.refresh();
    ctx.status(200)
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(registry.scrape());
  }

  private void stats(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    RingState ring = node.ring().ring();
    KvStats s = node.stats();
    ObjectNode o = BucketPropsJson.JSON.createObjectNode();
    o.put("nodename", node.name());
    o.put("overlay", node.runtime().config().overlay().kind());
    var connected = o.putArray("connected_nodes");
    node.runtime().overlay().upMembers().stream()
        .map(NodeId::name)
        .filter(n -> !n.equals(node.name()))
        .sorted()
        .forEach(connected::add);
    var members = o.putArray("ring_members");
    ring.members().keySet().forEach(members::add);
    o.put("ring_num_partitions", ring.ringSize());
    o.put("ring_version", ring.version());
    o.put("ring_claimant", ring.claimant());
    Map<String, Integer> ownership = new TreeMap<>();
    for (String owner : ring.owners()) {
      ownership.merge(owner, 1, Integer::sum);
    }
    ObjectNode own = o.putObject("ring_ownership");
    ownership.forEach(own::put);
    o.put("pending_transfers", ring.transfers().size());
    o.put("vnodes_running", node.vnodes().running().size());
    o.put("node_gets", s.gets());
    o.put("node_puts", s.puts());
    o.put("node_deletes", s.deletes());
    o.put("node_failures", s.failures());
    o.put("read_repairs", s.readRepairs());
    o.put("tombstone_reaps", s.reaps());
    latency(o, "node_get_fsm_time", requests.timer("get", "ok"));
    latency(o, "node_put_fsm_time", requests.timer("put", "ok"));
    latency(o, "node_delete_fsm_time", requests.timer("delete", "ok"));
    BucketRoutes.json(ctx, 200, o);
  }

  /** Riak reports FSM times in microseconds: mean and max over the node's life, and a count. */
  private static void latency(ObjectNode o, String prefix, Timer t) {
    o.put(prefix + "_count", t.count());
    o.put(prefix + "_mean", Math.round(t.mean(TimeUnit.MICROSECONDS)));
    o.put(prefix + "_100", Math.round(t.max(TimeUnit.MICROSECONDS)));
  }
}
