package dev.partisan.jepsen;

import static org.awaitility.Awaitility.await;

import dev.partisan.jepsen.History.Event;
import dev.partisan.jepsen.History.Type;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Checks a scenario's history against a final read, made on every node with R=all once the cluster
 * has healed and been quiet. For each set (allow_mult and LWW bucket): acknowledged elements
 * missing on any node (lost), elements present that no client ever tried to add, whether the nodes'
 * reads disagree, and where the writes of unknown outcome ended up. For the plain keys the same,
 * per key.
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

  /** The verdict for one set, or for the plain keys of a scenario. */
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
      int finalSize) {

    boolean passed() {
      return !mustNotLose || (lost.isEmpty() && unexpected.isEmpty() && divergence.isEmpty());
    }

    double lossRate() {
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
    // Invocations are matched to completions by process: each process runs one op at a time.
    Map<String, Event> open = new LinkedHashMap<>();
    Set<String> acked = new LinkedHashSet<>();
    Set<String> failed = new LinkedHashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
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
      switch (e.type()) {
        case OK -> acked.add(e.value());
        case FAIL -> failed.add(e.value());
        default -> unknown.add(e.value());
      }
    }
    // An invocation never completed (cannot happen: every call is bounded) would be unknown.
    open.values().forEach(e -> unknown.add(e.value()));
    return new Attempts(acked, failed, unknown);
  }

  /** Final R=all read of the set on every node, retried (bounded) while a read fails. */
  Map<String, Set<String>> finalSetReads(String bucket, List<String> nodes) {
    Map<String, Set<String>> reads = new LinkedHashMap<>();
    for (String n : nodes) {
      KvClient c = new KvClient(cluster.node(n).url(), requestTimeout);
      await("final R=all read of " + bucket + " on " + n)
          .atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                KvClient.ReadResult r = c.readSet(bucket, Workload.SET_KEY, "all");
                if (r.ok()) {
                  reads.put(n, r.set().elements());
                }
                return r.ok();
              });
    }
    return reads;
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
        union.size());
  }

  private Map<String, Set<String>> readKeys(String bucket, Set<String> keys, String node) {
    KvClient c = new KvClient(cluster.node(node).url(), requestTimeout);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String key : keys) {
      await("final R=all read of " + bucket + "/" + key + " on " + node)
          .atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                KvClient.ReadResult r = c.readSet(bucket, key, "all");
                if (r.ok()) {
                  out.put(key, r.set().elements());
                }
                return r.ok();
              });
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
        finalSize);
  }
}
