package dev.partisan.http.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.QueryParams;
import dev.partisan.http.api.Requests;
import dev.partisan.http.config.NodeConfig.HostPort;
import dev.partisan.kv.ClusterChangeResult;
import dev.partisan.kv.KvNode;
import dev.partisan.ring.ClusterChange;
import dev.partisan.ring.ClusterPlan;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The operator's endpoints under {@code /admin/}, mirroring {@code riak-admin}: cluster changes
 * (join, leave, remove, plan, commit, clear), member-status, ring-status, transfers, bucket types
 * ({@link BucketTypeAdmin}), security ({@link SecurityAdmin}), and fault injection. Answers are
 * text for people (what {@code bin/partisan-kv admin} prints) or JSON with {@code ?format=json} /
 * {@code Accept: application/json}.
 */
public final class AdminRoutes {
  private final KvNode node;
  private final ClusterAdmin cluster;
  private final ClusterStatus status;
  private final FaultAdmin faults;
  private final ObjectMapper json = new ObjectMapper();

  public AdminRoutes(KvNode node) {
    this.node = node;
    this.cluster = new ClusterAdmin(node);
    this.status = new ClusterStatus(node);
    this.faults = new FaultAdmin(node);
  }

  public void register(RoutesConfig r) {
    r.post("/admin/cluster/join", this::join);
    r.post("/admin/cluster/leave", this::leave);
    r.post("/admin/cluster/remove", this::remove);
    r.get("/admin/cluster/plan", this::plan);
    r.post("/admin/cluster/plan", this::plan);
    r.post("/admin/cluster/commit", this::commit);
    r.post("/admin/cluster/clear", this::clear);
    r.get("/admin/member-status", this::memberStatus);
    r.get("/admin/ring-status", this::ringStatus);
    r.get("/admin/transfers", this::transfers);
    r.get("/admin/transfer-limit", this::transferLimit);
    r.post("/admin/transfer-limit", this::transferLimit);
    r.get("/admin/transfer-rate", this::transferRate);
    r.post("/admin/transfer-rate", this::transferRate);
    r.get("/admin/aae-status", this::aaeStatus);
    r.post("/admin/faults/partition", this::partition);
    r.post("/admin/faults/heal", this::heal);
    r.get("/admin/faults", this::faultStatus);
    new BucketTypeAdmin(node, this).register(r);
    new SecurityAdmin(node, this).register(r);
  }

  static QueryParams params(Context ctx, String... names) {
    Set<String> known = new java.util.HashSet<>(Arrays.asList(names));
    known.add("format");
    return Requests.query(ctx).allow(known, Set.of());
  }

  private static boolean wantsJson(Context ctx, QueryParams q) {
    return q.get("format").map("json"::equals).orElse(false)
        || Requests.accepts(ctx, "application/json");
  }

  void respond(Context ctx, QueryParams q, int code, String text, Object jsonBody) {
    if (wantsJson(ctx, q)) {
      try {
        ctx.status(code).contentType("application/json").result(json.writeValueAsBytes(jsonBody));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      Requests.text(ctx, code, text);
    }
  }

  ObjectNode message(String text) {
    ObjectNode o = json.createObjectNode();
    o.put("message", text.strip());
    return o;
  }

  static String required(QueryParams q, String name) {
    return q.get(name)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> HttpError.badRequest("missing query parameter '" + name + "'"));
  }

  // ------------------------------------------------------------------ cluster changes

  private void join(Context ctx) {
    QueryParams q = params(ctx, "seed");
    HostPort seed;
    try {
      seed = HostPort.parse("seed", required(q, "seed"));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    String text = cluster.join(seed);
    respond(ctx, q, 200, text, message(text));
  }

  private void leave(Context ctx) {
    QueryParams q = params(ctx, "node");
    String target = q.get("node").filter(s -> !s.isBlank()).orElse(node.name());
    stage(ctx, q, new ClusterChange.Leave(target));
  }

  private void remove(Context ctx) {
    QueryParams q = params(ctx, "node");
    stage(ctx, q, new ClusterChange.Remove(required(q, "node")));
  }

  private void stage(Context ctx, QueryParams q, ClusterChange change) {
    try {
      cluster.stage(change);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    String text =
        "Success: staged "
            + ClusterAdmin.kind(change)
            + " request for "
            + change.node()
            + "\nRun `cluster plan` to review, then `cluster commit` (on this node: "
            + node.name()
            + ")\n";
    respond(ctx, q, 200, text, message(text));
  }

  private void plan(Context ctx) {
    QueryParams q = params(ctx);
    ClusterPlan plan = cluster.plan();
    String text =
        "=============================== Staged Changes ================================\n"
            + plan.describe()
            + "\nRun `cluster commit` to apply it, or `cluster clear` to drop it.\n";
    ObjectNode o = json.createObjectNode();
    o.put("base_version", plan.baseVersion());
    ArrayNode changes = o.putArray("changes");
    for (ClusterChange c : plan.changes()) {
      changes.addObject().put("action", ClusterAdmin.kind(c)).put("node", c.node());
    }
    ObjectNode members = o.putObject("members_after_commit");
    plan.members().forEach((m, s) -> members.put(m, s.name().toLowerCase(java.util.Locale.ROOT)));
    o.put("transfers", plan.transfers().size());
    ArrayNode warnings = o.putArray("warnings");
    plan.warnings().forEach(warnings::add);
    o.put("text", plan.describe());
    respond(ctx, q, 200, text, o);
  }

  private void commit(Context ctx) {
    QueryParams q = params(ctx);
    ClusterChangeResult result = cluster.commit();
    String text =
        "Cluster changes committed (ring version "
            + result.ringVersion()
            + ")\n"
            + (result.plan() == null ? "" : result.plan());
    ObjectNode o = message("Cluster changes committed");
    o.put("ring_version", result.ringVersion());
    o.put("plan", result.plan());
    respond(ctx, q, 200, text, o);
  }

  private void clear(Context ctx) {
    QueryParams q = params(ctx);
    cluster.clear();
    String text = "Cleared staged cluster changes\n";
    respond(ctx, q, 200, text, message(text));
  }

  // ------------------------------------------------------------------ status

  private void memberStatus(Context ctx) {
    QueryParams q = params(ctx);
    respond(ctx, q, 200, status.memberStatusText(), status.memberStatusJson());
  }

  private void ringStatus(Context ctx) {
    QueryParams q = params(ctx);
    respond(ctx, q, 200, status.ringStatusText(), status.ringStatusJson());
  }

  private void transfers(Context ctx) {
    QueryParams q = params(ctx);
    respond(ctx, q, 200, status.transfersText(), status.transfersOnlyJson());
  }

  /** GET shows this node's handoff concurrency; POST ?limit=N changes it (0 pauses handoff). */
  private void transferLimit(Context ctx) {
    QueryParams q = params(ctx, "limit");
    if (ctx.method() == HandlerType.POST) {
      String v = required(q, "limit");
      int limit;
      try {
        limit = Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("limit must be a number: '" + v + "'");
      }
      if (limit < 0 || limit > 64) {
        throw HttpError.badRequest("limit must be 0..64: " + limit);
      }
      node.setHandoffConcurrency(limit);
    } else if (q.has("limit")) {
      throw HttpError.badRequest("set the limit with POST");
    }
    int now = node.handoffConcurrency();
    String text =
        node.name() + ": transfer limit " + now + (now == 0 ? " (handoff paused)" : "") + "\n";
    ObjectNode o = json.createObjectNode();
    o.put("node", node.name());
    o.put("transfer_limit", now);
    respond(ctx, q, 200, text, o);
  }

  /**
   * GET shows this node's outbound handoff rate limit; POST ?bytes_per_second=N changes it (0:
   * unlimited).
   */
  private void transferRate(Context ctx) {
    QueryParams q = params(ctx, "bytes_per_second");
    if (ctx.method() == HandlerType.POST) {
      String v = required(q, "bytes_per_second");
      long rate;
      try {
        rate = Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("bytes_per_second must be a number: '" + v + "'");
      }
      if (rate < 0) {
        throw HttpError.badRequest("bytes_per_second must be >= 0 (0: unlimited): " + rate);
      }
      node.setHandoffRateLimit(rate);
    } else if (q.has("bytes_per_second")) {
      throw HttpError.badRequest("set the rate with POST");
    }
    long now = node.handoffRateLimit();
    String text =
        node.name() + ": handoff rate limit " + (now == 0 ? "none" : now + " bytes/s") + "\n";
    ObjectNode o = json.createObjectNode();
    o.put("node", node.name());
    o.put("bytes_per_second", now);
    respond(ctx, q, 200, text, o);
  }

  private void aaeStatus(Context ctx) {
    QueryParams q = params(ctx);
    respond(ctx, q, 200, status.aaeStatusText(), status.aaeStatusJson());
  }

  // ------------------------------------------------------------------ faults

  private void partition(Context ctx) {
    QueryParams q = params(ctx, "nodes");
    List<String> nodes =
        Arrays.stream(required(q, "nodes").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    var now = faults.partition(nodes);
    String text = node.name() + " is partitioned from " + now + "\n";
    respond(ctx, q, 200, text, faultJson());
  }

  private void heal(Context ctx) {
    QueryParams q = params(ctx);
    faults.heal();
    String text = node.name() + ": partitions and fault rules removed\n";
    respond(ctx, q, 200, text, faultJson());
  }

  private void faultStatus(Context ctx) {
    QueryParams q = params(ctx);
    var p = faults.partitioned();
    String text =
        p.isEmpty() && faults.rules() == 0
            ? node.name() + ": no faults injected\n"
            : node.name() + " is partitioned from " + p + " (" + faults.rules() + " other rules)\n";
    respond(ctx, q, 200, text, faultJson());
  }

  private ObjectNode faultJson() {
    ObjectNode o = json.createObjectNode();
    o.put("node", node.name());
    ArrayNode a = o.putArray("partitioned_from");
    faults.partitioned().forEach(a::add);
    o.put("rules", faults.rules());
    return o;
  }
}
