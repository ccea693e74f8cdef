package dev.partisan.http.metrics;

import dev.partisan.http.api.KvErrors;
import dev.partisan.pb.dispatch.RequestTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Latency of client requests per API ({@code http}, {@code pb}), operation (get, put, delete ...)
 * and outcome ({@code ok} or the store's error kind), as histograms: {@code kv_request_seconds} in
 * Prometheus with the tags {@code api}, {@code op} and {@code outcome}. HTTP requests are timed
 * around their store call ({@link #time}); the PB server reports its own ({@link #pb()}).
 *
 * <p>Thread-safety: recorded from any thread (HTTP's virtual threads, PB's event loops, store
 * threads); the timers are made once per API, operation and outcome in concurrent maps, and a
 * lookup of an existing one allocates nothing.
 */
public final class RequestMetrics {
  public static final String HTTP = "http";
  public static final String PB = "pb";

  private final MeterRegistry registry;
  // api -> op -> outcome -> timer
  private final Map<String, ConcurrentMap<String, ConcurrentMap<String, Timer>>> timers =
      Map.of(HTTP, new ConcurrentHashMap<>(), PB, new ConcurrentHashMap<>());
  private final RequestTimer pb = (op, outcome, nanos) -> record(PB, op, outcome, nanos);

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Register the common series up front so that dashboards see them before the first request.
    for (String api : new String[] {HTTP, PB}) {
      for (String op : new String[] {"get", "put", "delete"}) {
        timer(api, op, "ok");
      }
    }
  }

  /** Starts the store call of an HTTP request and records its latency and outcome when done. */
  public <T> CompletableFuture<T> time(String op, Supplier<CompletableFuture<T>> call) {
    long start = System.nanoTime();
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      record(HTTP, op, "internal", System.nanoTime() - start);
      throw e;
    }
    f.whenComplete(
        (r, t) -> record(HTTP, op, t == null ? "ok" : KvErrors.kind(t), System.nanoTime() - start));
    return f;
  }

  /** The hook the PB server times its requests with (pb-api's {@code RequestTimer}). */
  public RequestTimer pb() {
    return pb;
  }

  private void record(String api, String op, String outcome, long nanos) {
    timer(api, op, outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Every timer so far, one per API, operation and outcome (for the console's latency window). */
  public List<Timer> timers() {
    List<Timer> all = new ArrayList<>();
    timers
        .values()
        .forEach(byOp -> byOp.values().forEach(byOutcome -> all.addAll(byOutcome.values())));
    return all;
  }

  /** The timer of one HTTP operation and outcome (for /stats, which reports HTTP's as before). */
  public Timer timer(String op, String outcome) {
    return timer(HTTP, op, outcome);
  }

  /** The timer of one API ({@link #HTTP} or {@link #PB}), operation and outcome. */
  public Timer timer(String api, String op, String outcome) {
    ConcurrentMap<String, ConcurrentMap<String, Timer>> byOp = timers.get(api);
    if (byOp == null) {
      throw new IllegalArgumentException("unknown api " + api);
    }
    ConcurrentMap<String, Timer> byOutcome = byOp.get(op);
    if (byOutcome == null) {
      byOutcome = byOp.computeIfAbsent(op, k -> new ConcurrentHashMap<>());
    }
    Timer t = byOutcome.get(outcome);
    return t != null ? t : byOutcome.computeIfAbsent(outcome, k -> register(api, op, outcome));
  }

  private Timer register(String api, String op, String outcome) {
    return Timer.builder("kv.request")
        .description("latency of client requests, per API (http, pb), operation and outcome")
        .tag("api", api)
        .tag("op", op)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }
}
