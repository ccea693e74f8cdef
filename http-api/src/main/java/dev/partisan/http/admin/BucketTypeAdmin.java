package dev.partisan.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.api.BucketPropsJson;
import dev.partisan.http.api.BucketRoutes;
import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.KvErrors;
import dev.partisan.http.api.QueryParams;
import dev.partisan.http.api.Requests;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType;
import dev.partisan.kv.KvNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code riak-admin bucket-type} over HTTP: {@code GET /admin/bucket-types} (list), {@code GET
 * /admin/bucket-types/{t}} (status), {@code POST /admin/bucket-types/{t}/create|update} with a
 * {@code {"props":{...}}} body, {@code POST /admin/bucket-types/{t}/activate}. Text answers read
 * like riak-admin's; JSON with {@code ?format=json}. Stateless; Javalin's request threads.
 */
final class BucketTypeAdmin {
  private static final long MAX_PROPS_BYTES = 64 * 1024;

  private final KvNode node;
  private final AdminRoutes admin;

  BucketTypeAdmin(KvNode node, AdminRoutes admin) {
    this.node = node;
    this.admin = admin;
  }

  void register(RoutesConfig r) {
    r.get("/admin/bucket-types", this::list);
    r.get("/admin/bucket-types/{type}", this::status);
    r.post("/admin/bucket-types/{type}/create", this::create);
    r.post("/admin/bucket-types/{type}/update", this::update);
    r.post("/admin/bucket-types/{type}/activate", this::activate);
  }

  private void list(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    StringBuilder text = new StringBuilder();
    ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    ArrayNode types = o.putArray("types");
    for (BucketType t : node.bucketTypes().list()) {
      text.append(t.name()).append(" (").append(t.status().describe()).append(")\n");
      types.addObject().put("name", t.name()).put("active", t.active());
    }
    admin.respond(ctx, q, 200, text.toString(), o);
  }

  private void status(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    String name = ctx.pathParam("type");
    BucketType t =
        node.bucketTypes()
            .status(name)
            .orElseThrow(() -> HttpError.notFound(name + " is not an existing bucket type"));
    ObjectNode json = (ObjectNode) BucketRoutes.typeJson(node, t);
    StringBuilder text = new StringBuilder(name + " is " + t.status().describe() + "\n\n");
    Iterator<Map.Entry<String, JsonNode>> props = json.get("props").properties().iterator();
    props.forEachRemaining(
        e -> text.append(e.getKey()).append(": ").append(propText(e.getValue())).append('\n'));
    admin.respond(ctx, q, 200, text.toString(), json);
  }

  private static String propText(JsonNode v) {
    return v.isTextual() ? v.textValue() : v.toString();
  }

  private void create(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    String name = ctx.pathParam("type");
    BucketProps props = props(ctx, node.config().bucketDefaults());
    try {
      node.bucketTypes().create(name, props);
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    String text = name + " created\n";
    admin.respond(ctx, q, 200, text, admin.message(text));
  }

  private void update(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    String name = ctx.pathParam("type");
    BucketProps props = props(ctx, node.bucketTypeProps(name.getBytes(StandardCharsets.UTF_8)));
    try {
      node.bucketTypes().update(name, props);
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    String text = name + " updated\n";
    admin.respond(ctx, q, 200, text, admin.message(text));
  }

  private void activate(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    String name = ctx.pathParam("type");
    try {
      node.bucketTypes().activate(name).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw KvErrors.toHttp(e);
    } catch (TimeoutException e) {
      throw new HttpError(503, "activating " + name + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted");
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    String text = name + " has been activated\n";
    admin.respond(ctx, q, 200, text, admin.message(text));
  }

  /** The body's properties applied to {@code base}; an empty body changes nothing. */
  private static BucketProps props(Context ctx, BucketProps base) {
    byte[] body = Requests.body(ctx, MAX_PROPS_BYTES);
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      return base;
    }
    return BucketPropsJson.apply(base, body);
  }
}
