package dev.partisan.bench.kv;

import dev.partisan.bench.report.ResultDir;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench kv --compare-wrk}: is the bench's HTTP client measuring the node, or itself? On a
 * GET-only run against one running node, it measures the client ({@link HttpTarget}'s closed-loop
 * lanes) and {@code wrk} with the same connections, threads, keys and duration, in ABBA order
 * (client, wrk, wrk, client) so that a drift of the machine falls on both, and prints both rates
 * and their ratio. Without wrk on the PATH it measures the client alone and says so. Used once, on
 * the command's thread.
 */
final class WrkComparison {
  private final KvBenchCommand c;

  WrkComparison(KvBenchCommand command) {
    this.c = command;
  }

  /** One measured round: which tool, its GET rate, and what went wrong. */
  private record Round(String name, String tool, double rate, long errors, String detail) {}

  int run() throws Exception {
    if (!c.target.startsWith("http://") && !c.target.startsWith("https://")) {
      throw new IllegalArgumentException("--compare-wrk needs running nodes: --target http(s)://");
    }
    if (!c.keyDistribution.equals("uniform") || c.rate > 0) {
      throw new IllegalArgumentException(
          "--compare-wrk runs a closed loop over uniform keys, as wrk does");
    }
    c.security.check(c.target);
    String first = c.target.split(",")[0].trim();
    URI node = URI.create(first);
    KvTls tls = c.security.remoteTls(first);
    KvCredentials credentials = c.security.credentials();
    int threads =
        c.httpClientThreads > 0 ? c.httpClientThreads : Runtime.getRuntime().availableProcessors();
    int connections = Math.max(c.concurrency, threads); // wrk needs a connection per thread
    int seconds = (int) Math.max(1, Math.round(c.duration));
    double warmup = c.warmup == null ? 5 : c.warmup;
    Path dir = c.output.create();
    String setup =
        String.format(
            Locale.ROOT,
            "compare-wrk: GET-only against %s, %d keys, %d connections, %d threads, %d s per"
                + " round (+%.0f s warm-up); %d cores, load %s",
            first,
            c.keys,
            connections,
            threads,
            seconds,
            warmup,
            Runtime.getRuntime().availableProcessors(),
            ResultDir.loadAverage());
    System.out.println(setup);
    List<Round> rounds = new ArrayList<>();
    try (HttpTarget client =
        new HttpTarget(
            List.of(first),
            c.bucket,
            new HttpTarget.Sizing(connections, threads, java.time.Duration.ofSeconds(10)),
            tls == null ? null : tls.client(),
            credentials)) {
      client.allowMultFalse();
      fill(client);
      if (warmup > 0) {
        new LoadDriver(client, settings(connections, warmup)).run(); // both JITs warm up
      }
      if (!WrkRun.available()) {
        System.out.println("wrk is not on the PATH: measuring this client only (no ratio)");
        rounds.add(clientRound("A1", client, connections, seconds));
      } else {
        Path script = dir.resolve("keys.lua");
        Files.writeString(script, WrkRun.script(c.bucket, c.keys), StandardCharsets.UTF_8);
        String auth = credentials == null ? null : credentials.basicAuthorization();
        rounds.add(clientRound("A1", client, connections, seconds));
        for (String name : List.of("B1", "B2")) {
          WrkRun.Result w =
              WrkRun.run(
                  node,
                  script,
                  threads,
                  connections,
                  seconds,
                  auth,
                  dir.resolve("wrk-" + name + ".txt"));
          rounds.add(
              print(
                  new Round(
                      name,
                      "wrk",
                      w.requestsPerSecond(),
                      w.non2xx() + w.socketErrors(),
                      WrkRun.describe(w))));
        }
        rounds.add(clientRound("A2", client, connections, seconds));
      }
    }
    ResultDir.writeSummary(dir, summary(setup, rounds));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("target", first);
    config.put("keys", c.keys);
    config.put("connections", connections);
    config.put("threads", threads);
    config.put("seconds", seconds);
    config.put("warmup", warmup);
    config.put("tls", tls == null ? "off" : "on");
    config.put("user", credentials == null ? "" : credentials.user());
    ResultDir.writeConfig(dir, "bench kv --compare-wrk", config);
    return 0;
  }

  private LoadDriver.Settings settings(int connections, double seconds) {
    return new LoadDriver.Settings(
        1.0, "uniform", c.keys, c.valueSize, connections, 0, seconds, c.maxOps, 10_000);
  }

  private Round clientRound(String name, HttpTarget client, int connections, int seconds)
      throws InterruptedException {
    LoadDriver.Result r = new LoadDriver(client, settings(connections, seconds)).run();
    double rate = r.ops()[0] / r.seconds();
    String detail =
        String.format(
            Locale.ROOT,
            "%,.0f req/s (%d gets, %d errors, %d not found, p99 %d us)",
            rate,
            r.ops()[0],
            r.errors()[0],
            r.notFound(),
            r.totals()[0].getTotalCount() == 0 ? 0 : r.totals()[0].getValueAtPercentile(99));
    return print(new Round(name, "bench client", rate, r.errors()[0], detail));
  }

  private static Round print(Round r) {
    System.out.printf(
        Locale.ROOT,
        "  %s %-12s %s; load %s%n",
        r.name(),
        r.tool(),
        r.detail(),
        ResultDir.loadAverage());
    return r;
  }

  /** Every key once, so that both tools read values (wrk would count 404s as failures). */
  private void fill(HttpTarget client) throws Exception {
    byte[] value = new byte[c.valueSize];
    new java.util.Random(7).nextBytes(value);
    Semaphore window = new Semaphore(c.concurrency);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int k = 0; k < c.keys; k++) {
      window.acquire();
      CompletableFuture<?> f = client.put(LoadDriver.key(k), value, 0);
      f.whenComplete((r, e) -> window.release());
      pending.add(f);
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  static String summary(String setup, List<Round> rounds) {
    StringBuilder b =
        new StringBuilder("# bench kv --compare-wrk\n\n").append(setup).append("\n\n");
    b.append("| round | tool | GET/s | errors (wrk: non-2xx/3xx and socket errors) |\n");
    b.append("| --- | --- | ---: | ---: |\n");
    for (Round r : rounds) {
      b.append(
          String.format(
              Locale.ROOT, "| %s | %s | %,.0f | %d |%n", r.name(), r.tool(), r.rate(), r.errors()));
    }
    double client = mean(rounds, "bench client");
    double wrk = mean(rounds, "wrk");
    if (wrk > 0) {
      double a1 = rounds.get(0).rate();
      double a2 = rounds.get(3).rate();
      b.append(
          String.format(
              Locale.ROOT,
              "%nclient / wrk: %.2f (means %,.0f / %,.0f GET/s; pairs A1/B1 %.2f, A2/B2 %.2f);"
                  + " target >= 0.85%n",
              client / wrk,
              client,
              wrk,
              a1 / rounds.get(1).rate(),
              a2 / rounds.get(2).rate()));
    }
    return b.toString();
  }

  private static double mean(List<Round> rounds, String tool) {
    return rounds.stream()
        .filter(r -> r.tool().equals(tool))
        .mapToDouble(Round::rate)
        .average()
        .orElse(0);
  }
}
