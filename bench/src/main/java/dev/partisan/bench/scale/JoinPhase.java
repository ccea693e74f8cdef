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
 * A join phase (or one wave of it, {@link JoinPlan}) on the nodes of this JVM: every joiner joins
 * through its own contact (here or in another process), a bounded number at a time; a join that
 * failed is retried once, through the same contact, within the budget. Runs on the caller's thread;
 * the joins complete on the nodes' threads, into the concurrent {@code failed}, {@code latencies}
 * and {@code joinedByContact}.
 */
final class JoinPhase {
  /** A node to join, and the contact it joins through: its node number and address. */
  record Joiner(PartisanRuntime node, int contact, String host, int port) {}

  private final List<Joiner> joiners;
  private final int joinConcurrency;
  private final Map<Joiner, Throwable> failed = new ConcurrentHashMap<>();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, Integer> joinedByContact = new ConcurrentHashMap<>();
  private boolean pendingAtEnd;

  JoinPhase(List<Joiner> joiners, int joinConcurrency) {
    this.joiners = List.copyOf(joiners);
    this.joinConcurrency = joinConcurrency;
  }

  /** Every node of {@code nodes} joins through the one contact, node 0, at {@code host:port}. */
  static JoinPhase throughOne(
      List<PartisanRuntime> nodes, String host, int port, int joinConcurrency) {
    return new JoinPhase(
        nodes.stream().map(node -> new Joiner(node, 0, host, port)).toList(), joinConcurrency);
  }

  /** Joins every joiner through its contact, a bounded number at a time, then retries failures. */
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
    for (Joiner j : failed.keySet()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      retried++;
      try {
        j.node().join(j.host(), j.port()).get(left, TimeUnit.NANOSECONDS);
        recovered++;
        joinedByContact.merge(j.contact(), 1, Integer::sum);
      } catch (ExecutionException | TimeoutException e) {
        // counted as not recovered
      }
    }
    return new JoinOutcome(
        joiners.size(),
        asked,
        firstAttempts,
        why,
        retried,
        recovered,
        pendingAtEnd,
        Map.copyOf(joinedByContact));
  }

  /**
   * Asks every joiner to join, at most {@code joinConcurrency} at once, and waits for the answers;
   * returns how many asked before the budget ran out.
   */
  private int askAll(long deadline) throws InterruptedException {
    Semaphore permits = new Semaphore(joinConcurrency);
    List<CompletableFuture<Void>> joins = new ArrayList<>();
    int asked = 0;
    for (Joiner j : joiners) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      asked++;
      long started = System.nanoTime();
      // Wait on the future whenComplete returns: it completes after the bookkeeping ran (allOf
      // on the join itself could return before the last latencies were added).
      joins.add(
          j.node()
              .join(j.host(), j.port())
              .whenComplete(
                  (v, err) -> {
                    if (err != null) {
                      failed.put(j, err);
                    } else {
                      latencies.add(System.nanoTime() - started);
                      joinedByContact.merge(j.contact(), 1, Integer::sum);
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
