package dev.partisan.bench.scale;

import dev.partisan.runtime.PartisanRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The join phase of a step: every node but the first joins through the first, a bounded number at a
 * time; a join that failed is retried once within the budget. Runs on the step's thread; the joins
 * complete on the nodes' threads, into the concurrent {@code failed} and {@code latencies}.
 */
final class JoinPhase {
  private final List<PartisanRuntime> nodes;
  private final int n;
  private final int joinConcurrency;
  private final StepResult result;
  private final Map<PartisanRuntime, Throwable> failed = new ConcurrentHashMap<>();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

  JoinPhase(List<PartisanRuntime> nodes, int n, int joinConcurrency, StepResult result) {
    this.nodes = nodes;
    this.n = n;
    this.joinConcurrency = joinConcurrency;
    this.result = result;
  }

  /**
   * Joins every node but the first through the first, a bounded number at a time; returns how many
   * joins succeeded (retries included).
   */
  int run(long deadline) throws InterruptedException {
    PartisanRuntime contact = nodes.get(0);
    String host = contact.self().host();
    int port = contact.self().port();
    askAll(host, port, deadline);
    result.joinFailures = failed.size();
    synchronized (latencies) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length > 0) {
        result.joinP50Ms = sorted[(sorted.length - 1) / 2] / 1e6;
        result.joinMaxMs = sorted[sorted.length - 1] / 1e6;
      }
    }
    if (failed.isEmpty()) {
      return latencies.size();
    }
    int recovered = retryFailed(host, port, deadline);
    return latencies.size() + recovered;
  }

  /**
   * Asks every node to join, at most {@code joinConcurrency} at once, and waits for the answers.
   */
  private void askAll(String host, int port, long deadline) throws InterruptedException {
    Semaphore permits = new Semaphore(joinConcurrency);
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    int asked = 0;
    for (PartisanRuntime node : nodes.subList(1, n)) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        result.notes.add(
            "join phase ran out of budget: "
                + asked
                + " of "
                + (n - 1)
                + " nodes had asked to join, "
                + latencies.size()
                + " had joined");
        break;
      }
      asked++;
      long started = System.nanoTime();
      CompletableFuture<Void> f = node.join(host, port);
      f.whenComplete(
          (v, err) -> {
            if (err != null) {
              failed.put(node, err);
            } else {
              latencies.add(System.nanoTime() - started);
            }
            permits.release();
          });
      joins.add(f);
    }
    try {
      CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // recorded per node in 'failed'
    } catch (TimeoutException e) {
      result.notes.add("some joins were still pending when the budget ran out");
    }
  }

  /** Retries each failed join once while the budget lasts; returns how many succeeded. */
  private int retryFailed(String host, int port, long deadline) throws InterruptedException {
    Map<String, Integer> why = new HashMap<>();
    for (Throwable err : failed.values()) {
      Throwable cause = err.getCause() != null ? err.getCause() : err;
      why.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
    }
    int retried = 0;
    int recovered = 0;
    for (PartisanRuntime node : failed.keySet()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      retried++;
      try {
        node.join(host, port).get(left, TimeUnit.NANOSECONDS);
        recovered++;
      } catch (ExecutionException | TimeoutException e) {
        // counted below
      }
    }
    result.notes.add(
        failed.size()
            + " join(s) failed at first ("
            + summarise(why)
            + "); retried "
            + retried
            + ", "
            + recovered
            + " succeeded");
    return recovered;
  }

  private static String summarise(Map<String, Integer> counts) {
    List<String> parts = new ArrayList<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(3)
        .forEach(e -> parts.add(e.getValue() + "x " + e.getKey()));
    return String.join(", ", parts);
  }
}
