package dev.partisan.bench.scale;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a join phase did on the nodes of one process: how many joiners asked and joined, the
 * latencies of the joins that succeeded at first, the failures by kind and the retries. Several
 * processes' outcomes {@link #merge} into the step's; {@link #applyTo} writes it into the result.
 * Immutable.
 *
 * @param joiners nodes that were to join
 * @param asked nodes that asked before the budget ran out
 * @param latenciesNanos join latencies of the first attempts that succeeded
 * @param failuresByKind first-attempt failures, by exception class and message
 * @param retried failed joins retried within the budget
 * @param recovered retries that succeeded
 * @param pendingAtEnd whether joins were still pending when the budget ran out
 * @param joinedByContact joins that succeeded (retries included), by the contact's node number
 */
record JoinOutcome(
    int joiners,
    int asked,
    List<Long> latenciesNanos,
    Map<String, Integer> failuresByKind,
    int retried,
    int recovered,
    boolean pendingAtEnd,
    Map<Integer, Integer> joinedByContact) {

  int failedAtFirst() {
    return failuresByKind.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Joins that succeeded, retries included. */
  int joined() {
    return latenciesNanos.size() + recovered;
  }

  static JoinOutcome merge(List<JoinOutcome> parts) {
    int joiners = 0;
    int asked = 0;
    int retried = 0;
    int recovered = 0;
    boolean pending = false;
    List<Long> latencies = new ArrayList<>();
    Map<String, Integer> failures = new HashMap<>();
    Map<Integer, Integer> byContact = new HashMap<>();
    for (JoinOutcome p : parts) {
      joiners += p.joiners;
      asked += p.asked;
      retried += p.retried;
      recovered += p.recovered;
      pending |= p.pendingAtEnd;
      latencies.addAll(p.latenciesNanos);
      p.failuresByKind.forEach((k, v) -> failures.merge(k, v, Integer::sum));
      p.joinedByContact.forEach((k, v) -> byContact.merge(k, v, Integer::sum));
    }
    return new JoinOutcome(
        joiners, asked, latencies, failures, retried, recovered, pending, byContact);
  }

  /** Join latencies, failures and notes into the step's result. */
  void applyTo(StepResult result) {
    result.joinFailures = failedAtFirst();
    result.joined = joined();
    result.joinContactsUsed = joinedByContact.size();
    result.joinsPerContactMax =
        joinedByContact.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length > 0) {
      result.joinP50Ms = sorted[(sorted.length - 1) / 2] / 1e6;
      result.joinMaxMs = sorted[sorted.length - 1] / 1e6;
    }
    if (asked < joiners) {
      result.notes.add(
          "join phase ran out of budget: "
              + asked
              + " of "
              + joiners
              + " nodes had asked to join, "
              + latenciesNanos.size()
              + " had joined");
    }
    if (pendingAtEnd) {
      result.notes.add("some joins were still pending when the budget ran out");
    }
    if (failedAtFirst() > 0) {
      result.notes.add(
          failedAtFirst()
              + " join(s) failed at first ("
              + summarise(failuresByKind)
              + "); retried "
              + retried
              + ", "
              + recovered
              + " succeeded");
    }
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
