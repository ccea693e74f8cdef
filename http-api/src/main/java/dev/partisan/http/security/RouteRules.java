package dev.partisan.http.security;

import static dev.partisan.kv.security.Permission.PARTISAN_ADMIN;
import static dev.partisan.kv.security.Permission.RIAK_CORE_GET_BUCKET;
import static dev.partisan.kv.security.Permission.RIAK_CORE_GET_BUCKET_TYPE;
import static dev.partisan.kv.security.Permission.RIAK_CORE_SET_BUCKET;
import static dev.partisan.kv.security.Permission.RIAK_CORE_SET_BUCKET_TYPE;
import static dev.partisan.kv.security.Permission.RIAK_KV_DELETE;
import static dev.partisan.kv.security.Permission.RIAK_KV_GET;
import static dev.partisan.kv.security.Permission.RIAK_KV_INDEX;
import static dev.partisan.kv.security.Permission.RIAK_KV_LIST_BUCKETS;
import static dev.partisan.kv.security.Permission.RIAK_KV_LIST_KEYS;
import static dev.partisan.kv.security.Permission.RIAK_KV_PUT;

import io.javalin.http.HandlerType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table that says what every HTTP route needs once security is enabled, keyed by the method
 * and path template of the endpoint Javalin matched (so {@code /buckets/b/keys/k} is looked up as
 * {@code GET /buckets/{bucket}/keys/{key}}, whatever the key). Riak's mapping of its HTTP resources
 * to permissions; everything under {@code /admin/} needs {@code partisan.admin} cluster-wide. A
 * route missing from the table has no rule and is refused ({@link HttpSecurity}), and a test walks
 * every registered endpoint, so a new route cannot be served unguarded.
 *
 * <p>Immutable after construction; shared by request threads.
 */
public final class RouteRules {
  /** Every route under this prefix is an operator's: {@code partisan.admin} on any. */
  static final String ADMIN_PREFIX = "/admin/";

  private static final List<String> BUCKET_PREFIXES =
      List.of("/buckets/{bucket}", "/types/{type}/buckets/{bucket}");

  private static final RouteRule ADMIN = RouteRule.cluster(PARTISAN_ADMIN);

  // By method, then template: a lookup allocates nothing.
  private final Map<HandlerType, Map<String, RouteRule>> rules = new HashMap<>();

  /** The partisan-kv routes' rules. */
  public static RouteRules standard() {
    RouteRules r = new RouteRules();
    for (String b : BUCKET_PREFIXES) {
      String key = b + "/keys/{key}";
      r.add(RouteRule.bucket(RIAK_KV_GET), key, HandlerType.GET, HandlerType.HEAD);
      r.add(RouteRule.bucket(RIAK_KV_PUT), key, HandlerType.PUT, HandlerType.POST);
      r.add(RouteRule.bucket(RIAK_KV_DELETE), key, HandlerType.DELETE);
      r.add(RouteRule.bucket(RIAK_KV_PUT), b + "/keys", HandlerType.POST);
      r.add(RouteRule.bucket(RIAK_KV_LIST_KEYS), b + "/keys", HandlerType.GET);
      r.add(RouteRule.bucket(RIAK_CORE_GET_BUCKET), b + "/props", HandlerType.GET);
      r.add(
          RouteRule.bucket(RIAK_CORE_SET_BUCKET),
          b + "/props",
          HandlerType.PUT,
          HandlerType.POST,
          HandlerType.DELETE);
      r.add(RouteRule.bucket(RIAK_KV_INDEX), b + "/index/{field}/{value}", HandlerType.GET);
      r.add(RouteRule.bucket(RIAK_KV_INDEX), b + "/index/{field}/{start}/{end}", HandlerType.GET);
    }
    String datatypes = "/types/{type}/buckets/{bucket}/datatypes";
    r.add(RouteRule.bucket(RIAK_KV_GET), datatypes + "/{key}", HandlerType.GET);
    r.add(RouteRule.bucket(RIAK_KV_PUT), datatypes + "/{key}", HandlerType.POST);
    r.add(RouteRule.bucket(RIAK_KV_PUT), datatypes, HandlerType.POST);
    r.add(RouteRule.type(RIAK_KV_LIST_BUCKETS), "/buckets", HandlerType.GET);
    r.add(RouteRule.type(RIAK_KV_LIST_BUCKETS), "/types/{type}/buckets", HandlerType.GET);
    r.add(RouteRule.type(RIAK_CORE_GET_BUCKET_TYPE), "/types/{type}/props", HandlerType.GET);
    r.add(
        RouteRule.type(RIAK_CORE_SET_BUCKET_TYPE),
        "/types/{type}/props",
        HandlerType.PUT,
        HandlerType.POST);
    // Riak's /ping answers without credentials, so load balancers can probe either listener.
    r.add(RouteRule.open(), "/ping", HandlerType.GET);
    // Counters and ring facts, no data: any authenticated user (give Prometheus a user with a
    // certificate or trust source).
    r.add(RouteRule.authenticated(), "/stats", HandlerType.GET);
    r.add(RouteRule.authenticated(), "/metrics", HandlerType.GET);
    // The web console (docs/console.md): the same facts as /stats, for any authenticated user;
    // its admin actions are /admin/ calls and need partisan.admin as always.
    for (String console :
        List.of(
            "/console", "/console/assets/{file}", "/console/api/snapshot", "/console/api/events")) {
      r.add(RouteRule.authenticated(), console, HandlerType.GET);
    }
    return r;
  }

  /** A copy without the rule of {@code method template} (for tests of a route without one). */
  public RouteRules without(HandlerType method, String template) {
    RouteRules copy = new RouteRules();
    rules.forEach((m, byTemplate) -> copy.rules.put(m, new HashMap<>(byTemplate)));
    Map<String, RouteRule> byTemplate = copy.rules.get(method);
    if (byTemplate == null || byTemplate.remove(template) == null) {
      throw new IllegalArgumentException("no rule for " + method + " " + template);
    }
    return copy;
  }

  private void add(RouteRule rule, String template, HandlerType... methods) {
    for (HandlerType m : methods) {
      if (rules.computeIfAbsent(m, k -> new HashMap<>()).put(template, rule) != null) {
        throw new IllegalStateException("two rules for " + m + " " + template);
      }
    }
  }

  /** The rule of the endpoint {@code method template}, or null when there is none. */
  public RouteRule find(HandlerType method, String template) {
    if (template.startsWith(ADMIN_PREFIX)) {
      return ADMIN;
    }
    Map<String, RouteRule> byTemplate = rules.get(method);
    return byTemplate == null ? null : byTemplate.get(template);
  }
}
