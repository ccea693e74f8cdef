package dev.partisan.http.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.kv.report.LatencySummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's latency window over the request histograms, on a controlled clock. */
class LatencyWindowTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final AtomicLong clock = new AtomicLong();
  private final LatencyWindow window = new LatencyWindow(requests::timers, clock::get);

  private void record(String op, String outcome, long millis, int times) {
    for (int i = 0; i < times; i++) {
      requests.timer(op, outcome).record(Duration.ofMillis(millis));
    }
  }

  private LatencySummary row(String op) {
    return row(RequestMetrics.HTTP, op);
  }

  private LatencySummary row(String api, String op) {
    List<LatencySummary> rows =
        window.get().stream().filter(s -> s.api().equals(api) && s.op().equals(op)).toList();
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  @Test
  void percentilesComeFromTheRequestsOfTheWindowEveryOutcomeTogether() {
    record("get", "ok", 2, 90);
    record("get", "not_found", 50, 10);
    LatencySummary get = row("get");
    assertThat(get.count()).isEqualTo(100);
    assertThat(get.p50Ms()).isBetween(1.0, 3.0);
    assertThat(get.p95Ms()).isBetween(40.0, 60.0);
    assertThat(get.p99Ms()).isGreaterThanOrEqualTo(get.p95Ms());
    assertThat(row("put").count()).isZero();
    assertThat(row("put").p99Ms()).isZero();
  }

  @Test
  void requestsOlderThanTheWindowDropOut() {
    record("put", "ok", 10, 50);
    assertThat(row("put").count()).isEqualTo(50);
    for (int s = 5; s <= 70; s += 5) {
      clock.set(Duration.ofSeconds(s).toNanos());
      window.get();
    }
    record("put", "ok", 100, 5);
    LatencySummary put = row("put");
    assertThat(put.count()).isEqualTo(5);
    assertThat(put.p50Ms()).isBetween(80.0, 120.0);
  }

  @Test
  void eachApiHasItsOwnRows() {
    record("get", "ok", 2, 10);
    for (int i = 0; i < 4; i++) {
      requests.pb().record("get", "ok", Duration.ofMillis(40).toNanos());
    }
    requests.pb().record("get", "timeout", Duration.ofMillis(900).toNanos());
    requests.pb().record("list_keys", "ok", Duration.ofMillis(5).toNanos());

    assertThat(row("get").count()).isEqualTo(10);
    assertThat(row("get").p99Ms()).isLessThan(5.0);
    LatencySummary pbGet = row(RequestMetrics.PB, "get");
    assertThat(pbGet.count()).isEqualTo(5);
    assertThat(pbGet.p50Ms()).isBetween(20.0, 60.0);
    assertThat(pbGet.p99Ms()).isGreaterThan(500.0);
    assertThat(row(RequestMetrics.PB, "list_keys").count()).isEqualTo(1);
    assertThat(window.get())
        .extracting(LatencySummary::api)
        .containsOnly(RequestMetrics.HTTP, RequestMetrics.PB);
    assertThat(registry.scrape())
        .containsPattern(
            "kv_request_seconds_count\\{api=\"pb\",.*op=\"get\",outcome=\"timeout\"} 1");
  }

  @Test
  void timedCallsAreCounted() {
    requests.time("delete", () -> CompletableFuture.completedFuture(1)).join();
    assertThat(row("delete").count()).isEqualTo(1);
    assertThat(List.of(row("delete").p50Ms())).allSatisfy(v -> assertThat(v).isNotNegative());
    assertThat(LatencyWindow.quantile(new java.util.TreeMap<>(), 0, 0.5)).isCloseTo(0, within(0.0));
  }
}
