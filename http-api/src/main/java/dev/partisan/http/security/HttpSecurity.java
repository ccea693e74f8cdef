package dev.partisan.http.security;

import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.ObjectPath;
import dev.partisan.http.api.RequestTls;
import dev.partisan.http.api.Requests;
import dev.partisan.kv.security.Authentication;
import dev.partisan.kv.security.Credentials;
import dev.partisan.kv.security.Principal;
import dev.partisan.kv.security.SecurityService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces Riak's security on every HTTP route while it is enabled (checked per request: an
 * operator may turn it on or off at any time). Runs before the matched endpoint's handler, and
 * before every other before-handler, so a refused request reaches neither:
 *
 * <ol>
 *   <li>{@link RouteRule.Access#OPEN} routes ({@code /ping}) are served as they are;
 *   <li>a request that did not come over TLS gets 426, as Riak answers: credentials are never
 *       accepted in plaintext;
 *   <li>HTTP Basic credentials, the TCP peer's address and the verified client certificate's common
 *       name are authenticated; no or malformed credentials, or a refusal, get 401 with {@code
 *       WWW-Authenticate: Basic realm="Riak"};
 *   <li>the endpoint's {@link RouteRules rule} is checked: a route without one gets 403 (fail
 *       closed), a user without the permission gets 403.
 * </ol>
 *
 * <p>With security disabled the whole check is {@link SecurityService#enabled()}, a volatile read
 * or two. Stateless apart from the immutable rules; request threads share it.
 */
public final class HttpSecurity {
  private static final Logger log = LoggerFactory.getLogger(HttpSecurity.class);

  /** Riak's answer to a plaintext request while security is enabled. */
  static final String TLS_REQUIRED =
      "Security is enabled and Riak does not accept credentials over HTTP. Try HTTPS instead.";

  static final String CHALLENGE = "Basic realm=\"Riak\"";

  private final SecurityService security;
  private final RouteRules rules;
  // Set once by the starting thread before the server starts; read by request threads.
  private volatile InternalRouter router;

  public HttpSecurity(SecurityService security, RouteRules rules) {
    this.security = security;
    this.rules = rules;
  }

  /**
   * Gives the check the server's router, to find the GET endpoint behind an implicit HEAD; call
   * once the app is created, before it starts. Without it such a HEAD has no rule (403).
   */
  public void useRouter(InternalRouter router) {
    this.router = router;
  }

  /** Registers the check for every path; call before any other before-handler is registered. */
  public void register(RoutesConfig routes) {
    routes.beforeMatched(this::check);
  }

  void check(Context ctx) {
    if (!security.enabled()) {
      return;
    }
    Endpoint endpoint = matched(ctx);
    RouteRule rule = endpoint == null ? null : rules.find(endpoint.method, endpoint.path);
    if (rule != null && rule.access() == RouteRule.Access.OPEN) {
      return;
    }
    if (!RequestTls.secure(ctx)) {
      throw new HttpError(426, TLS_REQUIRED);
    }
    Principal principal = authenticate(ctx);
    if (rule == null) {
      throw new HttpError(403, "no permission is defined for this route");
    }
    authorize(ctx, principal, rule);
  }

  /**
   * The endpoint that will serve the request, or null. Javalin answers a HEAD on a route that only
   * has GET with the GET handler (the body left out) without naming a matched endpoint: that GET
   * endpoint, whose rule then applies.
   */
  private Endpoint matched(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    InternalRouter r = router;
    if (endpoint == null && ctx.method().equals(HandlerType.HEAD) && r != null) {
      ParsedEndpoint get = r.findFirstHttpHandlerEntry(HandlerType.GET, ctx.path());
      endpoint = get == null ? null : get.endpoint;
    }
    return endpoint;
  }

  private Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      throw unauthorized(ctx, "authentication required: send HTTP Basic credentials");
    }
    BasicCredentials basic = BasicCredentials.parse(header);
    if (basic == null) {
      throw unauthorized(ctx, "malformed Authorization header: expected Basic credentials");
    }
    try {
      InetAddress peer = peer(ctx);
      String commonName =
          RequestTls.clientCertificate(ctx).map(CertificateNames::commonName).orElse(null);
      Authentication a =
          security.authenticate(new Credentials(basic.user(), basic.password(), peer, commonName));
      if (!a.succeeded()) {
        // The reason stays in the log: telling the client would say which users exist.
        log.debug(
            "authentication of user '{}' from {} refused: {}",
            Names.printable(basic.user()),
            peer.getHostAddress(),
            a.failure());
        throw unauthorized(ctx, "authentication failed");
      }
      return a.principal();
    } finally {
      basic.clear();
    }
  }

  private void authorize(Context ctx, Principal principal, RouteRule rule) {
    byte[] type = null;
    byte[] bucket = null;
    switch (rule.access()) {
      case AUTHENTICATED -> {
        return;
      }
      case BUCKET -> {
        ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
        type = path.type();
        bucket = path.bucket();
      }
      case TYPE -> type = ObjectPath.typeOf(Requests.rawPath(ctx));
      case CLUSTER, OPEN -> {
        // cluster-wide: both null (OPEN never gets here)
      }
    }
    if (!security.authorize(principal, rule.permission(), type, bucket)) {
      throw new HttpError(
          403,
          "Permission denied: user '"
              + Names.printable(principal.user())
              + "' does not have '"
              + rule.permission().riakName()
              + "' on "
              + Names.scope(type, bucket));
    }
  }

  private static HttpError unauthorized(Context ctx, String message) {
    ctx.header("WWW-Authenticate", CHALLENGE);
    return new HttpError(401, message);
  }

  /** The TCP peer (no proxy headers are trusted: a client could forge them). */
  private static InetAddress peer(Context ctx) {
    String ip = ctx.req().getRemoteAddr();
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    try {
      return InetAddress.getByName(ip); // a literal address: no name lookup
    } catch (UnknownHostException e) {
      throw new HttpError(400, "cannot tell the client's address");
    }
  }
}
