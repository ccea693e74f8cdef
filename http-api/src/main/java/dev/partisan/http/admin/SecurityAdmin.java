package dev.partisan.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.QueryParams;
import dev.partisan.http.api.Requests;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.security.Permission;
import dev.partisan.kv.security.Scope;
import dev.partisan.kv.security.SecurityService;
import dev.partisan.kv.security.SecurityStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code riak-admin security} over HTTP (see docs/http.md): {@code GET /admin/security} (status),
 * {@code POST /admin/security/enable|disable}, {@code POST|PUT|DELETE /admin/security/users/{name}}
 * (add-user, alter-user, del-user; options such as the password in a JSON body, never in the URL),
 * {@code POST /admin/security/sources} and {@code DELETE /admin/security/sources?users=&cidr=}
 * (add-source, del-source), {@code POST /admin/security/grant|revoke}. A refused change answers 400
 * (bad input) or 409 (enable without a reachable admin) and changes nothing. Stateless; Javalin's
 * request threads.
 */
final class SecurityAdmin {
  private static final long MAX_BODY = 64 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final SecurityService security;
  private final AdminRoutes admin;
  private final ObjectMapper json = new ObjectMapper();

  SecurityAdmin(KvNode node, AdminRoutes admin) {
    this.security = node.security();
    this.admin = admin;
  }

  void register(RoutesConfig r) {
    r.get("/admin/security", this::status);
    r.post("/admin/security/enable", ctx -> change(ctx, security::enable, "Security enabled"));
    r.post("/admin/security/disable", ctx -> change(ctx, security::disable, "Security disabled"));
    r.post("/admin/security/users/{name}", this::addUser);
    r.put("/admin/security/users/{name}", this::alterUser);
    r.delete("/admin/security/users/{name}", this::deleteUser);
    r.post("/admin/security/sources", this::addSource);
    r.delete("/admin/security/sources", this::deleteSource);
    r.post("/admin/security/grant", ctx -> grants(ctx, true));
    r.post("/admin/security/revoke", ctx -> grants(ctx, false));
  }

  /** Runs a change; bad input is 400, a refused enable 409; waits until it is persisted here. */
  private void change(Context ctx, Supplier<CompletableFuture<Void>> change, String done) {
    change(ctx, AdminRoutes.params(ctx), change, done);
  }

  private void change(
      Context ctx, QueryParams q, Supplier<CompletableFuture<Void>> change, String done) {
    try {
      Requests.await(change.get(), WAIT);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
    admin.respond(ctx, q, 200, done + "\n", admin.message(done));
  }

  private void addUser(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, String> options = stringOptions(body(ctx), "user options");
    change(ctx, () -> security.addUser(name, options), "Added user " + name);
  }

  private void alterUser(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, String> options = stringOptions(body(ctx), "user options");
    change(ctx, () -> security.alterUser(name, options), "Altered user " + name);
  }

  private void deleteUser(Context ctx) {
    String name = ctx.pathParam("name");
    change(ctx, () -> security.deleteUser(name), "Deleted user " + name);
  }

  private void addSource(Context ctx) {
    ObjectNode b = body(ctx);
    List<String> users = strings(b, "users");
    String cidr = text(b, "cidr");
    String method = text(b, "method");
    Map<String, String> options =
        b.has("options") ? stringOptions(b.get("options"), "options") : Map.of();
    change(
        ctx,
        () -> security.addSource(users, cidr, method, options),
        "Added a " + method + " source for " + String.join(",", users) + " on " + cidr);
  }

  private void deleteSource(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx, "users", "cidr");
    List<String> users =
        Arrays.stream(AdminRoutes.required(q, "users").split(",")).map(String::trim).toList();
    String cidr = AdminRoutes.required(q, "cidr");
    change(
        ctx,
        q,
        () -> security.deleteSource(users, cidr),
        "Deleted the source of " + String.join(",", users) + " on " + cidr);
  }

  /** {@code {"permissions":[...],"type":T,"bucket":B,"users":[...]}}; no type means any. */
  private void grants(Context ctx, boolean grant) {
    ObjectNode b = body(ctx);
    Set<Permission> permissions = new LinkedHashSet<>();
    List<String> users;
    Scope scope;
    try {
      strings(b, "permissions").forEach(p -> permissions.add(Permission.parse(p.trim())));
      users = strings(b, "users");
      scope = new Scope(optionalText(b, "type"), optionalText(b, "bucket"));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    String what =
        permissions.stream().map(Permission::riakName).toList()
            + " on "
            + scope
            + (grant ? " to " : " from ")
            + String.join(",", users);
    change(
        ctx,
        () ->
            grant
                ? security.grant(permissions, scope, users)
                : security.revoke(permissions, scope, users),
        (grant ? "Granted " : "Revoked ") + what);
  }

  // ------------------------------------------------------------------ status

  private void status(Context ctx) {
    QueryParams q = AdminRoutes.params(ctx);
    SecurityStatus s = security.status();
    admin.respond(ctx, q, 200, SecurityStatusText.of(s), statusJson(s));
  }

  private ObjectNode statusJson(SecurityStatus s) {
    ObjectNode o = json.createObjectNode();
    o.put("enabled", s.enabled());
    ArrayNode users = o.putArray("users");
    s.users()
        .forEach(u -> users.addObject().put("name", u.name()).put("password", u.hasPassword()));
    ArrayNode sources = o.putArray("sources");
    s.sources()
        .forEach(
            x ->
                sources
                    .addObject()
                    .put("user", x.user())
                    .put("cidr", x.cidr())
                    .put("method", x.method().riakName()));
    ArrayNode grants = o.putArray("grants");
    for (SecurityStatus.GrantInfo g : s.grants()) {
      ObjectNode e = grants.addObject().put("user", g.user());
      e.put("type", g.scope().type()).put("bucket", g.scope().bucket());
      ArrayNode ps = e.putArray("permissions");
      g.permissions().stream().map(Permission::riakName).sorted().forEach(ps::add);
    }
    return o;
  }

  // ------------------------------------------------------------------ request bodies

  private ObjectNode body(Context ctx) {
    byte[] bytes = Requests.body(ctx, MAX_BODY);
    if (bytes.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode n = json.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        return json.createObjectNode();
      }
      if (!(n instanceof ObjectNode o)) {
        throw HttpError.badRequest("the body must be a JSON object");
      }
      return o;
    } catch (IOException e) {
      // The parser's message may quote the body, which may hold a password: say nothing more.
      throw HttpError.badRequest("the body is not valid JSON");
    }
  }

  private static Map<String, String> stringOptions(JsonNode n, String what) {
    if (!n.isObject()) {
      throw HttpError.badRequest(what + " must be a JSON object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw HttpError.badRequest(what + ": '" + e.getKey() + "' must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static List<String> strings(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isArray()) {
      throw HttpError.badRequest("'" + field + "' must be a JSON array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw HttpError.badRequest("'" + field + "' must be a JSON array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static String text(ObjectNode b, String field) {
    String v = optionalText(b, field);
    if (v == null) {
      throw HttpError.badRequest("'" + field + "' is missing");
    }
    return v;
  }

  private static String optionalText(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw HttpError.badRequest("'" + field + "' must be a string");
    }
    return n.textValue();
  }
}
