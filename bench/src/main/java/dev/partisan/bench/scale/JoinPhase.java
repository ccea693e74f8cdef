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
 * The join phase of a step on the nodes of this JVM: every joiner joins through the contact (node
 * 0, here or in another process), a bounded number at a time; a join that failed is retried once
 * within the budget. Runs on the caller's thread; the joins complete on the nodes' threads, into
 * the concurrent {@code failed} and {@code latencies}.
 */
final class JoinPhase {
  private final List<PartisanRuntime> joiners;
  private final String host;
  private final int port;
  private final int joinConcurrency;
  private final Map<PartisanRuntime, Throwable> failed = new ConcurrentHashMap<>();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  private boolean pendingAtEnd;

  JoinPhase(List<PartisanRuntime> joiners, String host, int port, int joinConcurrency) {
    this.joiners = joiners;
    this.host = host;
    this.port = port;
    this.joinConcurrency = joinConcurrency;
  }

  /** Joins every joiner through the contact, a bounded number at a time, then retries failures. */
  JoinOutcome run(long deadline) throws InterruptedException {
    int asked = askAll(deadline);
    Map<String, Integer> why = new HashMap<>();
    for (Throwable err : failed.values()) {
      Throwable cause = err.getCause() != null ? err.getCause() : err;
      why.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
    }
    List<Long> firstAttempts;
    synchronized (latencies) {
      firstAttempts = List.copyOf(latencies);
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
        // counted as not recovered
      }
    }
    return new JoinOutcome(
        joiners.size(), asked, firstAttempts, why, retried, recovered, pendingAtEnd);
  }

  /**
   * Asks every joiner to join, at most {@code joinConcurrency} at once, and waits for the answers;
   * returns how many asked before the budget ran out.
   */
  private int askAll(long deadline) throws InterruptedException {
    Semaphore permits = new Semaphore(joinConcurrency);
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    int asked = 0;
    for (PartisanRuntime node : joiners) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      asked++;
      long started = System.nanoTime();
      // Wait on the future whenComplete returns: it completes after the bookkeeping ran (allOf
      // on the join itself could return before the last latencies were added).
      joins.add(
          node.join(host, port)
              .whenComplete(
                  (v, err) -> {
                    if (err != null) {
                      failed.put(node, err);
                    } else {
                      latencies.add(System.nanoTime() - started);
                    }
                    permits.release();
                  }));
    }
    try {
      CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // recorded per node in 'failed'
    } catch (TimeoutException e) {
      pendingAtEnd = true;
    }
    return asked;
  }
}
