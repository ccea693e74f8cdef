package dev.partisan.http.console;

import dev.partisan.http.api.HttpError;
import dev.partisan.http.api.Requests;
import dev.partisan.http.config.ConsoleSettings;
import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.report.LatencySummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The web console (docs/console.md): the page and its assets from the classpath, one JSON snapshot
 * of the cluster, and a Server-Sent Events stream of them. What each route needs once security is
 * on is in {@code RouteRules} (any authenticated user).
 */
public final class ConsoleRoutes implements AutoCloseable {
  private final ConsoleSampler sampler;
  private final int maxStreams;
  private final AtomicInteger streams = new AtomicInteger();
  private final ConsoleAssets files = new ConsoleAssets(ConsoleAssets.ROOT);

  /**
   * @param admin whether the node serves the /admin/ endpoints (the page offers its actions)
   */
  public ConsoleRoutes(KvNode node, boolean admin, ConsoleSettings settings) {
    this.sampler = new ConsoleSampler(node, admin, settings.interval());
    this.maxStreams = settings.maxStreams();
  }

  /**
   * This node's request latency for its node reports: the HTTP and PB request timers over the last
   * minute, one row per API and operation (see {@link LatencyWindow}).
   */
  public static Supplier<List<LatencySummary>> latencyOf(RequestMetrics requests) {
    return new LatencyWindow(requests::timers, System::nanoTime);
  }

  public void register(RoutesConfig routes) {
    routes.get("/console", this::page);
    routes.get("/console/assets/{file}", this::asset);
    routes.get("/console/api/snapshot", this::snapshot);
    routes.get("/console/api/events", this::events);
  }

  private void page(Context ctx) throws IOException {
    send(ctx, files.page(), "the console page is not in this build");
  }

  private void asset(Context ctx) throws IOException {
    send(ctx, files.asset(ctx.pathParam("file")), "no such console asset");
  }

  private static void send(Context ctx, ConsoleAssets.Asset a, String missing) {
    if (a == null) {
      throw HttpError.notFound(missing);
    }
    ctx.status(200)
        .contentType(a.contentType())
        .header("Cache-Control", "no-cache")
        .result(a.bytes());
  }

  private void snapshot(Context ctx) throws TimeoutException {
    ctx.status(200)
        .contentType("application/json")
        .header("Cache-Control", "no-store")
        .result(sampler.fresh().json());
  }

  private void events(Context ctx) throws IOException, TimeoutException, InterruptedException {
    if (streams.incrementAndGet() > maxStreams) {
      streams.decrementAndGet();
      Requests.text(
          ctx,
          503,
          "too many console event streams on this node (console.max_streams=" + maxStreams + ")\n");
      return;
    }
    EventStream stream = null;
    try {
      HttpServletResponse res = ctx.res();
      res.setStatus(200);
      res.setCharacterEncoding("UTF-8");
      res.setContentType("text/event-stream");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("X-Accel-Buffering", "no");
      res.flushBuffer();
      stream = new EventStream(res.getOutputStream());
      sampler.watch(stream);
      stream.run(sampler);
    } catch (IOException e) {
      // The client went away: drop it.
    } finally {
      if (stream != null) {
        sampler.unwatch(stream);
      }
      streams.decrementAndGet();
    }
  }

  @Override
  public void close() {
    sampler.close();
  }
}
