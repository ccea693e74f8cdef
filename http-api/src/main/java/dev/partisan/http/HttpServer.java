package dev.partisan.http;

import dev.partisan.http.admin.AdminRoutes;
import dev.partisan.http.api.BucketRoutes;
import dev.partisan.http.api.DatatypeRoutes;
import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.IndexRoutes;
import dev.partisan.http.api.KeyListRoutes;
import dev.partisan.http.api.ObjectRoutes;
import dev.partisan.http.api.Requests;
import dev.partisan.http.api.StatusRoutes;
import dev.partisan.http.config.ConsoleSettings;
import dev.partisan.http.config.HttpSettings;
import dev.partisan.http.console.ConsoleRoutes;
import dev.partisan.http.metrics.MetricsBinder;
import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.http.security.HttpSecurity;
import dev.partisan.http.security.RouteRules;
import dev.partisan.kv.KvNode;
import dev.partisan.runtime.tls.TlsMaterial;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http.UriCompliance.Violation;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: Javalin on Jetty, every route configured up front, handlers on virtual
 * threads (a handler may wait for the store without holding a platform thread).
 *
 * <p>Robustness: keys are bytes and arrive percent-encoded, so Jetty is told to pass encoded
 * slashes and non-UTF-8 escapes through to the routes (which decode them strictly); malformed
 * escapes and control characters are still refused by Jetty with 400. Headers are bounded (431),
 * bodies are bounded (413), and every failure a handler raises becomes a plain-text status: client
 * input never reaches the node as an unhandled exception.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** What Jetty lets through to the routes: encodings that are legal in a riak key. */
  private static final UriCompliance KEY_FRIENDLY =
      UriCompliance.from(
          Set.of(
              Violation.AMBIGUOUS_PATH_SEPARATOR,
              Violation.AMBIGUOUS_PATH_ENCODING,
              Violation.AMBIGUOUS_PATH_SEGMENT,
              Violation.AMBIGUOUS_EMPTY_SEGMENT,
              Violation.AMBIGUOUS_PATH_PARAMETER,
              Violation.BAD_UTF8_ENCODING,
              Violation.TRUNCATED_UTF8_ENCODING,
              Violation.SUSPICIOUS_PATH_CHARACTERS));

  private final Javalin app;
  private final PrometheusMeterRegistry registry;
  private final HttpListeners listeners;
  private final ConsoleRoutes console; // null when console.enabled=false
  private final RequestMetrics requests;

  private HttpServer(
      Javalin app,
      PrometheusMeterRegistry registry,
      HttpListeners listeners,
      ConsoleRoutes console,
      RequestMetrics requests) {
    this.app = app;
    this.registry = registry;
    this.listeners = listeners;
    this.console = console;
    this.requests = requests;
  }

  /**
   * The node's request timers ({@code kv_request_seconds}, served on /metrics and in the console):
   * the PB server records into them too ({@link RequestMetrics#pb()}).
   */
  public RequestMetrics requestMetrics() {
    return requests;
  }

  /** Plain HTTP only. */
  public static HttpServer start(KvNode node, HttpSettings settings) {
    return start(node, settings, null);
  }

  /**
   * Starts the listeners {@code settings} ask for (plain HTTP, HTTPS or both), every route on each.
   *
   * @param tls the node's TLS material; required when {@code settings} ask for HTTPS, else unused
   */
  public static HttpServer start(KvNode node, HttpSettings settings, TlsMaterial tls) {
    return start(node, settings, tls, RouteRules.standard());
  }

  /**
   * As {@link #start(KvNode, HttpSettings, TlsMaterial)}, with what each route needs once security
   * is enabled given by {@code rules} (tests take rules away to see a route without one refused).
   */
  public static HttpServer start(
      KvNode node, HttpSettings settings, TlsMaterial tls, RouteRules rules) {
    return start(node, settings, tls, rules, ConsoleSettings.defaults());
  }

  /**
   * As {@link #start(KvNode, HttpSettings, TlsMaterial, RouteRules)}, with the console's settings.
   */
  public static HttpServer start(
      KvNode node,
      HttpSettings settings,
      TlsMaterial tls,
      RouteRules rules,
      ConsoleSettings consoleSettings) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", node.name());
    RequestMetrics requests = new RequestMetrics(registry);
    MetricsBinder binder = new MetricsBinder(node, registry);
    ObjectRoutes objects = new ObjectRoutes(node, requests, settings.maxValueBytes());
    BucketRoutes buckets = new BucketRoutes(node);
    KeyListRoutes keyList = new KeyListRoutes(node.coverage());
    IndexRoutes indexes = new IndexRoutes(node.coverage());
    DatatypeRoutes datatypes = new DatatypeRoutes(node, requests, settings.maxValueBytes());
    StatusRoutes status = new StatusRoutes(node, registry, binder, requests);
    AdminRoutes admin = settings.admin() ? new AdminRoutes(node) : null;
    // Other nodes' consoles ask this node for its report, whether or not it serves one itself.
    node.reports().latencySource(ConsoleRoutes.latencyOf(requests));
    ConsoleRoutes console =
        consoleSettings.enabled()
            ? new ConsoleRoutes(node, settings.admin(), consoleSettings)
            : null;
    HttpListeners[] listeners = new HttpListeners[1];
    HttpSecurity security = new HttpSecurity(node.security(), rules);

    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = settings.maxValueBytes();
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setRequestHeaderSize(settings.maxHeaderBytes());
                    http.setUriCompliance(KEY_FRIENDLY);
                    http.setSendServerVersion(false);
                    http.setIdleTimeout(settings.idleTimeout().toMillis());
                  });
              listeners[0] = HttpListeners.configure(config.jetty, settings, tls);
              config.jetty.modifyServletContextHandler(
                  h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
              config.jetty.modifyServer(
                  server -> {
                    ErrorHandler errors = new ErrorHandler();
                    errors.setShowStacks(false);
                    errors.setDefaultResponseMimeType("text/plain");
                    server.setErrorHandler(errors);
                  });

              // First: a refused request must reach no other before-handler and no route.
              security.register(config.routes);
              objects.register(config.routes);
              buckets.register(config.routes);
              keyList.register(config.routes);
              datatypes.register(config.routes);
              indexes.register(config.routes);
              status.register(config.routes);
              if (admin != null) {
                admin.register(config.routes);
              }
              if (console != null) {
                console.register(config.routes);
              }
              config.routes.exception(
                  HttpError.class,
                  (e, ctx) -> {
                    String msg = e.getMessage();
                    Requests.text(ctx, e.status(), msg.endsWith("\n") ? msg : msg + "\n");
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                    Requests.text(ctx, 500, "internal error: " + e + "\n");
                  });
            });
    security.useRouter(app.unsafe.internalRouter);
    app.start();
    HttpServer server = new HttpServer(app, registry, listeners[0], console, requests);
    node.reports().clientUrls(() -> server.urls(settings));
    if (server.port() >= 0) {
      log.info("HTTP API of {} on http://{}:{}", node.name(), settings.host(), server.port());
    }
    if (server.httpsPort() >= 0) {
      log.info(
          "HTTPS API of {} on https://{}:{}",
          node.name(),
          settings.httpsHost(),
          server.httpsPort());
    }
    return server;
  }

  /** The plain HTTP port, or -1 when plain HTTP is off ({@code http.plaintext=false}). */
  public int port() {
    return listeners.plainPort();
  }

  /** The HTTPS port, or -1 without an HTTPS listener. */
  public int httpsPort() {
    return listeners.httpsPort();
  }

  /** This server's base URLs (plain and HTTPS listeners), for links between consoles. */
  private List<String> urls(HttpSettings settings) {
    List<String> urls = new java.util.ArrayList<>();
    if (port() >= 0) {
      urls.add("http://" + settings.host() + ":" + port());
    }
    if (httpsPort() >= 0) {
      urls.add("https://" + settings.httpsHost() + ":" + httpsPort());
    }
    return urls;
  }

  /** Every endpoint served (method and path template), for tests that check each has a rule. */
  public List<Endpoint> endpoints() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(p -> p.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .toList();
  }

  @Override
  public void close() {
    if (console != null) {
      console.close(); // ends the event streams, so stopping does not wait for them
    }
    app.stop();
    registry.close();
  }
}
