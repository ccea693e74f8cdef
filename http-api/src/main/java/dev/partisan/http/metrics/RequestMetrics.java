package dev.partisan.http.metrics;

import dev.partisan.http.api.KvErrors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Latency of the store calls made for HTTP requests, per operation (get, put, delete) and outcome
 * ({@code ok} or the store's error kind), as histograms: {@code kv_request_seconds} in Prometheus.
 */
public final class RequestMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Register the common series up front so that dashboards see them before the first request.
    for (String op : new String[] {"get", "put", "delete"}) {
      timer(op, "ok");
    }
  }

  /** Starts a store call and records its latency and outcome when it completes. */
  public <T> CompletableFuture<T> time(String op, Supplier<CompletableFuture<T>> call) {
    long start = System.nanoTime();
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      record(op, "internal", System.nanoTime() - start);
      throw e;
    }
    f.whenComplete(
        (r, t) -> record(op, t == null ? "ok" : KvErrors.kind(t), System.nanoTime() - start));
    return f;
  }

  private void record(String op, String outcome, long nanos) {
    timer(op, outcome).record(Duration.ofNanos(nanos));
  }

  /** Every timer so far, one per operation and outcome (for the console's latency window). */
  public List<Timer> timers() {
    return List.copyOf(timers.values());
  }

  /** The timer of one operation and outcome (for /stats). */
  public Timer timer(String op, String outcome) {
    return timers.computeIfAbsent(
        op + "/" + outcome,
        k ->
            Timer.builder("kv.request")
                .description("latency of store requests made through HTTP")
                .tag("op", op)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry));
  }
}
