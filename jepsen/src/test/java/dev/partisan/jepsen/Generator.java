package dev.partisan.jepsen;

import dev.partisan.jepsen.History.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent clients, each bound to one node and issuing one operation at a time at a bounded rate:
 * read-modify-write adds of a unique element to the set (allow_mult and LWW buckets), plain puts of
 * unique keys, counter increments and adds of unique elements to a set data type, and reads. Every
 * invocation and its completion go to the history. Each client stops at {@link #stop()}, at the
 * time bound, or at its operation bound, whichever comes first.
 */
final class Generator {

  /** Counter increments are 1..MAX_INCREMENT, never negative: the checker's bounds need that. */
  static final int MAX_INCREMENT = 5;

  /** A client process: its name in the history and the node it talks to. */
  record Process(String name, KvClient client, long seed) {}

  private final History history;
  private final Workload workload;
  private final List<Process> processes;
  private final Duration interval;
  private final long deadlineNanos;
  private final int maxOpsPerProcess;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  Generator(
      History history,
      Workload workload,
      List<Process> processes,
      Duration interval,
      Duration maxDuration) {
    this.history = history;
    this.workload = workload;
    this.processes = processes;
    this.interval = interval;
    this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
    // Twice the operations the rate allows in the time bound: a safety net, never the limit.
    this.maxOpsPerProcess = (int) Math.max(10, 2 * maxDuration.toMillis() / interval.toMillis());
  }

  void start() {
    for (Process p : processes) {
      Thread t = Thread.ofPlatform().name("jepsen-" + p.name()).start(() -> run(p));
      threads.add(t);
    }
  }

  /** Stops issuing operations and waits for the ones in flight (each bounded by its timeout). */
  void stop(Duration atMost) throws InterruptedException {
    stopped.set(true);
    long until = System.nanoTime() + atMost.toNanos();
    for (Thread t : threads) {
      long left = until - System.nanoTime();
      if (left <= 0 || !t.join(Duration.ofNanos(left))) {
        throw new IllegalStateException(t.getName() + " did not stop within " + atMost);
      }
    }
  }

  private void run(Process p) {
    Random random = new Random(p.seed());
    long next = System.nanoTime();
    for (int seq = 0; seq < maxOpsPerProcess; seq++) {
      if (stopped.get() || System.nanoTime() > deadlineNanos) {
        return;
      }
      int dice = random.nextInt(100);
      String unique = p.name() + "-" + seq;
      // The mix (docs/jepsen.md): the data types take a share of the same rate, no extra load.
      if (dice < 28) {
        add(p, workload.multBucket(), "e" + unique);
      } else if (dice < 48) {
        add(p, workload.lwwBucket(), "e" + unique);
      } else if (dice < 62) {
        put(p, "k" + unique);
      } else if (dice < 77) {
        int amount = 1 + random.nextInt(MAX_INCREMENT);
        update(
            p,
            "incr",
            workload.counter(),
            String.valueOf(amount),
            "{\"increment\":" + amount + "}");
      } else if (dice < 92) {
        String element = "d" + unique;
        update(p, "dt-add", workload.dtSet(), element, "{\"add\":\"" + element + "\"}");
      } else {
        switch (random.nextInt(4)) {
          case 0 -> read(p, workload.multBucket());
          case 1 -> read(p, workload.lwwBucket());
          case 2 -> readDatatype(p, "read-counter", workload.counter());
          default -> readDatatype(p, "read-set", workload.dtSet());
        }
      }
      // Fixed rate per process; a slow operation (a timeout) is not followed by a burst.
      next = Math.max(next + interval.toNanos(), System.nanoTime());
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /** Read-modify-write: read the set, add the element, write back with the read's context. */
  private void add(Process p, String bucket, String element) {
    history.record(p.name(), Type.INVOKE, "add", bucket, element, null);
    KvClient.ReadResult read = p.client().readSet(bucket, Workload.SET_KEY, "quorum");
    if (!read.ok()) {
      // Nothing was written: the operation certainly did not happen.
      history.record(p.name(), Type.FAIL, "add", bucket, element, "read: " + read.error());
      return;
    }
    Set<String> next = new LinkedHashSet<>(read.set().elements());
    next.add(element);
    KvClient.Result r = p.client().writeSet(bucket, Workload.SET_KEY, next, read.set().vclock());
    history.record(p.name(), type(r), "add", bucket, element, r.detail());
  }

  private void put(Process p, String key) {
    String target = workload.multBucket() + "/" + key;
    history.record(p.name(), Type.INVOKE, "put", target, key, null);
    KvClient.Result r = p.client().put(workload.multBucket(), key, key);
    history.record(p.name(), type(r), "put", target, key, r.detail());
  }

  /**
   * One data-type update (a counter increment, a set add): a single POST, no read first and no
   * context (the data type merges concurrent updates; adds need no context).
   */
  private void update(Process p, String f, Workload.Datatype d, String value, String opJson) {
    history.record(p.name(), Type.INVOKE, f, d.target(), value, null);
    KvClient.Result r = p.client().updateDatatype(d, opJson);
    history.record(p.name(), type(r), f, d.target(), value, r.detail());
  }

  /** A quorum fetch of a data type; the history gets its value (or its size, for a set). */
  private void readDatatype(Process p, String f, Workload.Datatype d) {
    history.record(p.name(), Type.INVOKE, f, d.target(), null, null);
    KvClient.DatatypeRead r = p.client().fetchDatatype(d, "quorum");
    if (r.ok()) {
      String value =
          r.value().isArray() ? r.value().size() + " elements" : String.valueOf(r.counter());
      history.record(p.name(), Type.OK, f, d.target(), value, null);
    } else {
      history.record(p.name(), Type.FAIL, f, d.target(), null, r.error());
    }
  }

  private void read(Process p, String bucket) {
    history.record(p.name(), Type.INVOKE, "read", bucket, null, null);
    KvClient.ReadResult r = p.client().readSet(bucket, Workload.SET_KEY, "quorum");
    if (r.ok()) {
      history.record(
          p.name(),
          Type.OK,
          "read",
          bucket,
          r.set().elements().size() + " elements",
          r.set().siblings() + " siblings");
    } else {
      history.record(p.name(), Type.FAIL, "read", bucket, null, r.error());
    }
  }

  private static Type type(KvClient.Result r) {
    return switch (r.outcome()) {
      case OK -> Type.OK;
      case FAIL -> Type.FAIL;
      case UNKNOWN -> Type.INFO;
    };
  }

  /** A fixed seed per scenario and process: the same run issues the same mix of operations. */
  static long seedFor(String scenario, int process) {
    return ((long) scenario.hashCode() << 16) ^ process;
  }
}
