package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import dev.partisan.jepsen.History.Event;
import dev.partisan.jepsen.History.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks a scenario's history against a final read, made on every node with R=all once the cluster
 * has healed and been quiet. For each set (allow_mult and LWW bucket): acknowledged elements
 * missing on any node (lost), elements present that no client ever tried to add, whether the nodes'
 * reads disagree, and where the writes of unknown outcome ended up. For the plain keys the same,
 * per key. For a counter: each node's value against the sums of the increments by outcome.
 */
final class Checker {

  /** What the history says about one target's writes. */
  record Attempts(Set<String> acked, Set<String> failed, Set<String> unknown) {
    Set<String> attempted() {
      Set<String> all = new LinkedHashSet<>(acked);
      all.addAll(failed);
      all.addAll(unknown);
      return all;
    }
  }

  /**
   * What the history says about a counter's increments: how many ended each way and the sums of
   * their amounts.
   */
  record CounterAttempts(
      int ackedOps,
      int failedOps,
      int unknownOps,
      long ackedSum,
      long failedSum,
      long unknownSum) {}

  /** A counter's figures in its verdict: the sums of the increments and each node's final value. */
  record CounterFigures(long ackedSum, long failedSum, long unknownSum, Map<String, Long> values) {

    /** How much of the unknown increments' sum the (first node's) final value holds. */
    long unknownApplied() {
      long v = values.values().iterator().next();
      return Math.max(0, Math.min(unknownSum, v - ackedSum));
    }

    /** The largest shortfall of a node's value under the acknowledged sum (0: none). */
    long shortfall() {
      long worst = values.values().stream().mapToLong(v -> ackedSum - v).max().orElse(0);
      return Math.max(0, worst);
    }
  }

  /**
   * The verdict for one set, for the plain keys of a scenario, or for a counter ({@code counter} is
   * then set; for the others it is null).
   */
  record Verdict(
      String workload,
      boolean mustNotLose,
      int attempted,
      int acked,
      int failed,
      int unknown,
      List<String> lost,
      List<String> unexpected,
      int unknownPresent,
      int unknownAbsent,
      List<String> divergence,
      int finalSize,
      CounterFigures counter) {

    boolean passed() {
      return !mustNotLose || (lost.isEmpty() && unexpected.isEmpty() && divergence.isEmpty());
    }

    /** Elements (or, for a counter, amount) lost, over those acknowledged. */
    double lossRate() {
      if (counter != null) {
        return counter.ackedSum() == 0 ? 0 : (double) counter.shortfall() / counter.ackedSum();
      }
      return acked == 0 ? 0 : (double) lost.size() / acked;
    }
  }

  private final Cluster cluster;
  private final Duration requestTimeout;

  Checker(Cluster cluster, Duration requestTimeout) {
    this.cluster = cluster;
    this.requestTimeout = requestTimeout;
  }

  static Attempts attempts(List<Event> history, String f, String targetPrefix) {
    Set<String> acked = new LinkedHashSet<>();
    Set<String> failed = new LinkedHashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
    forEachOutcome(
        history,
        f,
        targetPrefix,
        (type, value) ->
            (switch (type) {
                  case OK -> acked;
                  case FAIL -> failed;
                  default -> unknown;
                })
                .add(value));
    return new Attempts(acked, failed, unknown);
  }

  /** The counter's increments in the history (the event's value is the amount). */
  static CounterAttempts counterAttempts(List<Event> history, String f, String target) {
    long[] ops = new long[3];
    long[] sums = new long[3];
    forEachOutcome(
        history,
        f,
        target,
        (type, value) -> {
          int i =
              switch (type) {
                case OK -> 0;
                case FAIL -> 1;
                default -> 2;
              };
          ops[i]++;
          sums[i] += Long.parseLong(value);
        });
    return new CounterAttempts((int) ops[0], (int) ops[1], (int) ops[2], sums[0], sums[1], sums[2]);
  }

  /**
   * Calls {@code outcome} with each operation's completion type (OK, FAIL, or INFO for unknown) and
   * its value, for the events of function f on targets starting with targetPrefix.
   */
  private static void forEachOutcome(
      List<Event> history, String f, String targetPrefix, BiConsumer<Type, String> outcome) {
    // Invocations are matched to completions by process: each process runs one op at a time.
    Map<String, Event> open = new LinkedHashMap<>();
    for (Event e : history) {
      if (!e.f().equals(f) || !e.target().startsWith(targetPrefix)) {
        continue;
      }
      if (e.type() == Type.INVOKE) {
        open.put(e.process(), e);
        continue;
      }
      Event inv = open.remove(e.process());
      if (inv == null || !inv.value().equals(e.value())) {
        throw new IllegalStateException("completion without its invocation: " + e);
      }
      outcome.accept(e.type(), e.value());
    }
    // An invocation never completed (cannot happen: every call is bounded) would be unknown.
    open.values().forEach(e -> outcome.accept(Type.INFO, e.value()));
  }

  /** Final R=all read of the set on every node, retried (bounded) while a read fails. */
  Map<String, Set<String>> finalSetReads(String bucket, List<String> nodes) {
    return finalReads(
        bucket,
        nodes,
        c -> {
          KvClient.ReadResult r = c.readSet(bucket, Workload.SET_KEY, "all");
          return r.ok() ? r.set().elements() : null;
        });
  }

  /** Final R=all fetch of the counter on every node. */
  Map<String, Long> finalCounterReads(Workload.Datatype counter, List<String> nodes) {
    return finalReads(
        counter.target(),
        nodes,
        c -> {
          KvClient.DatatypeRead r = c.fetchDatatype(counter, "all");
          return r.ok() ? r.counter() : null;
        });
  }

  /** Final R=all fetch of the set data type on every node. */
  Map<String, Set<String>> finalDtSetReads(Workload.Datatype set, List<String> nodes) {
    return finalReads(
        set.target(),
        nodes,
        c -> {
          KvClient.DatatypeRead r = c.fetchDatatype(set, "all");
          return r.ok() ? r.elements() : null;
        });
  }

  /** Reads {@code what} on each node in turn, retried (bounded) while the read gives null. */
  private <T> Map<String, T> finalReads(
      String what, List<String> nodes, Function<KvClient, T> readOrNull) {
    Map<String, T> reads = new LinkedHashMap<>();
    for (String n : nodes) {
      KvClient c = new KvClient(cluster.node(n).url(), requestTimeout);
      reads.put(n, awaitRead(what + " on " + n, () -> readOrNull.apply(c)));
    }
    return reads;
  }

  /** Retries a final R=all read every 500 ms while it fails (null), for at most a minute. */
  private static <T> T awaitRead(String what, Supplier<T> readOrNull) {
    AtomicReference<T> result = new AtomicReference<>();
    await("final R=all read of " + what)
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              result.set(readOrNull.get());
              return result.get() != null;
            });
    return result.get();
  }

  /**
   * A counter whose increments are all positive: every node's final value must lie between the sum
   * of the acknowledged increments (none lost) and that sum plus the unknown ones' (nothing applied
   * twice, nothing failed applied, nothing invented), and all nodes must read the same.
   */
  Verdict checkCounter(String workload, CounterAttempts a, Map<String, Long> reads) {
    List<String> lost = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    long ceiling = a.ackedSum() + a.unknownSum();
    reads.forEach(
        (node, value) -> {
          if (value < a.ackedSum()) {
            lost.add(
                String.format(
                    "%s reads %d, %d under the acknowledged sum %d",
                    node, value, a.ackedSum() - value, a.ackedSum()));
          } else if (value > ceiling) {
            unexpected.add(
                String.format(
                    "%s reads %d, %d over acknowledged + unknown %d",
                    node, value, value - ceiling, ceiling));
          }
        });
    List<String> divergence = new ArrayList<>();
    String first = reads.keySet().iterator().next();
    long reference = reads.get(first);
    reads.forEach(
        (node, value) -> {
          if (value != reference) {
            divergence.add(
                String.format("%s reads %d, %s reads %d", node, value, first, reference));
          }
        });
    return new Verdict(
        workload,
        true,
        a.ackedOps() + a.failedOps() + a.unknownOps(),
        a.ackedOps(),
        a.failedOps(),
        a.unknownOps(),
        lost,
        unexpected,
        0,
        0,
        divergence,
        (int) reference,
        new CounterFigures(
            a.ackedSum(),
            a.failedSum(),
            a.unknownSum(),
            Collections.unmodifiableMap(new LinkedHashMap<>(reads))));
  }

  Verdict checkSet(
      String workload, boolean mustNotLose, Attempts a, Map<String, Set<String>> reads) {
    Set<String> lost = new TreeSet<>();
    Set<String> unexpected = new TreeSet<>();
    Set<String> union = new LinkedHashSet<>();
    reads.values().forEach(union::addAll);
    for (Set<String> read : reads.values()) {
      for (String e : a.acked()) {
        if (!read.contains(e)) {
          lost.add(e);
        }
      }
    }
    Set<String> attempted = a.attempted();
    for (String e : union) {
      if (!attempted.contains(e)) {
        unexpected.add(e);
      } else if (a.failed().contains(e)) {
        // Its read failed, so no write carrying it was ever sent.
        unexpected.add(e + " (failed add present)");
      }
    }
    List<String> divergence = new ArrayList<>();
    Set<String> reference = reads.values().iterator().next();
    reads.forEach(
        (node, read) -> {
          if (!read.equals(reference)) {
            Set<String> onlyHere = new TreeSet<>(read);
            onlyHere.removeAll(reference);
            Set<String> missingHere = new TreeSet<>(reference);
            missingHere.removeAll(read);
            divergence.add(
                node
                    + " differs from "
                    + reads.keySet().iterator().next()
                    + ": extra "
                    + onlyHere
                    + ", missing "
                    + missingHere);
          }
        });
    int present = (int) a.unknown().stream().filter(union::contains).count();
    return new Verdict(
        workload,
        mustNotLose,
        attempted.size(),
        a.acked().size(),
        a.failed().size(),
        a.unknown().size(),
        List.copyOf(lost),
        List.copyOf(unexpected),
        present,
        a.unknown().size() - present,
        divergence,
        union.size(),
        null);
  }

  private Map<String, Set<String>> readKeys(String bucket, Set<String> keys, String node) {
    KvClient c = new KvClient(cluster.node(node).url(), requestTimeout);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String key : keys) {
      out.put(
          key,
          awaitRead(
              bucket + "/" + key + " on " + node,
              () -> {
                KvClient.ReadResult r = c.readSet(bucket, key, "all");
                return r.ok() ? r.set().elements() : null;
              }));
    }
    return out;
  }

  /**
   * Plain keys: every attempted key is read with R=all on every node; an acknowledged key must be
   * there with its value everywhere, a failed one must be absent, and all nodes must agree.
   */
  Verdict checkKeys(String bucket, Attempts a, List<String> nodes) {
    Set<String> lost = new TreeSet<>();
    Set<String> unexpected = new TreeSet<>();
    List<String> divergence = new ArrayList<>();
    int present = 0;
    // Each node's reads run on their own thread: five nodes answer at once, not in turn.
    Map<String, Map<String, Set<String>>> byNode = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> reads = new ArrayList<>();
      for (String n : nodes) {
        reads.add(pool.submit(() -> byNode.put(n, readKeys(bucket, a.attempted(), n))));
      }
      for (Future<?> f : reads) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    int finalSize = 0;
    for (String key : a.attempted()) {
      Map<String, Set<String>> values = new LinkedHashMap<>();
      nodes.forEach(n -> values.put(n, byNode.get(n).get(key)));
      Set<String> reference = values.values().iterator().next();
      if (values.values().stream().anyMatch(v -> !v.equals(reference))) {
        divergence.add(key + " " + values);
      }
      boolean presentEverywhere = values.values().stream().allMatch(v -> v.equals(Set.of(key)));
      boolean presentAnywhere = values.values().stream().anyMatch(v -> !v.isEmpty());
      if (values.values().stream().flatMap(Set::stream).anyMatch(v -> !v.equals(key))) {
        unexpected.add(key + " " + values);
      }
      if (presentAnywhere) {
        finalSize++;
      }
      if (a.acked().contains(key) && !presentEverywhere) {
        lost.add(key);
      } else if (a.unknown().contains(key) && presentAnywhere) {
        present++;
      } else if (a.failed().contains(key) && presentAnywhere) {
        // A write that failed before reaching the node cannot be there.
        unexpected.add(key + " (failed write present)");
      }
    }
    return new Verdict(
        "plain keys (allow_mult)",
        true,
        a.attempted().size(),
        a.acked().size(),
        a.failed().size(),
        a.unknown().size(),
        List.copyOf(lost),
        List.copyOf(unexpected),
        present,
        a.unknown().size() - present,
        divergence,
        finalSize,
        null);
  }
}
