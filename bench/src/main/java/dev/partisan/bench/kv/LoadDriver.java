package dev.partisan.bench.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * basho_bench's driver loop: an operation mix (gets and puts), a key distribution, a value size,
 * either closed-loop workers ({@code concurrency} virtual threads, one operation at a time each) or
 * a fixed rate (one pacing thread, operations asynchronous, latency counted from when each was due,
 * so a stall is charged to every operation it delayed), for a duration and an operation budget.
 * Latencies (microseconds) go to HdrHistogram recorders; the calling thread samples them once a
 * second into a time series.
 */
final class LoadDriver {
  static final String[] OPS = {"get", "put"};

  /** What to run. {@code rate <= 0} means closed loop. */
  record Settings(
      double getFraction,
      String keyDistribution,
      int keys,
      int valueSize,
      int concurrency,
      double rate,
      double seconds,
      long maxOps,
      long timeoutMillis) {}

  /** One second of one operation. */
  record Sample(int second, String op, long ops, long errors, Histogram micros) {}

  /**
   * The whole run; {@code notFound} counts the gets (within {@code ops[0]}) that found no value.
   */
  record Result(
      List<Sample> series,
      Histogram[] totals,
      long[] ops,
      long[] errors,
      long notFound,
      double seconds) {}

  /** How one operation ended. */
  enum Outcome {
    OK,
    NOT_FOUND,
    ERROR
  }

  private final KvTarget target;
  private final Settings s;
  private final Recorder[] recorders = {new Recorder(3), new Recorder(3)};
  private final LongAdder[] ops = {new LongAdder(), new LongAdder()};
  private final LongAdder[] errors = {new LongAdder(), new LongAdder()};
  private final LongAdder notFound = new LongAdder();
  private final AtomicLong budget;
  private final AtomicLong inFlight = new AtomicLong();
  private final byte[] value;
  private volatile boolean stop;

  LoadDriver(KvTarget target, Settings s) {
    this.target = target;
    this.s = s;
    this.budget = new AtomicLong(s.maxOps());
    this.value = new byte[s.valueSize()];
    new java.util.Random(7).nextBytes(value);
  }

  static String key(int i) {
    return "k" + i;
  }

  Result run() throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    CountDownLatch lanesStopped = new CountDownLatch(0);
    if (s.rate() <= 0 && target instanceof LaneTarget lanes) {
      lanesStopped = new CountDownLatch(s.concurrency());
      List<Lane> list = new ArrayList<>();
      for (int w = 0; w < s.concurrency(); w++) {
        list.add(new Lane(w, 1_000_003L * (w + 1), lanesStopped));
      }
      lanes.runLanes(list);
    } else if (s.rate() > 0) {
      workers.add(Thread.ofPlatform().daemon().name("kv-load-pacer").start(() -> paced(start)));
    } else {
      for (int w = 0; w < s.concurrency(); w++) {
        long seed = 1_000_003L * (w + 1);
        workers.add(
            Thread.ofVirtual().name("kv-load-" + w).start(() -> closedLoop(seed, (int) seed)));
      }
    }
    List<Sample> series = new ArrayList<>();
    Histogram[] totals = {new Histogram(3), new Histogram(3)};
    long[] lastOps = new long[2];
    long[] lastErrors = new long[2];
    int seconds = (int) Math.ceil(s.seconds());
    for (int second = 1; second <= seconds && !stop; second++) {
      long tick = start + (long) (Math.min(second, s.seconds()) * 1e9);
      while (System.nanoTime() < tick && budget.get() > 0) {
        LockSupport.parkNanos(Math.min(50_000_000, tick - System.nanoTime()));
      }
      for (int op = 0; op < 2; op++) {
        Histogram h = recorders[op].getIntervalHistogram();
        totals[op].add(h);
        long o = ops[op].sum();
        long e = errors[op].sum();
        series.add(new Sample(second, OPS[op], o - lastOps[op], e - lastErrors[op], h));
        lastOps[op] = o;
        lastErrors[op] = e;
      }
      if (budget.get() <= 0) {
        break;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop = true;
    for (Thread t : workers) {
      t.join(s.timeoutMillis() + 5000);
    }
    lanesStopped.await(s.timeoutMillis() + 5000, TimeUnit.MILLISECONDS);
    return new Result(
        series,
        totals,
        new long[] {ops[0].sum(), ops[1].sum()},
        new long[] {errors[0].sum(), errors[1].sum()},
        notFound.sum(),
        elapsed);
  }

  private CompletableFuture<?> issue(KeyChooser keys, int op, int node) {
    String key = key(keys.next());
    return op == 0 ? target.get(key, node) : target.put(key, value, node);
  }

  private void closedLoop(long seed, int lane) {
    KeyChooser keys = new KeyChooser(s.keyDistribution(), s.keys(), seed);
    int node = Math.floorMod(lane, Math.max(1, target.nodes()));
    while (!stop && budget.decrementAndGet() >= 0) {
      int op = keys.nextDouble() < s.getFraction() ? 0 : 1;
      long t0 = System.nanoTime();
      try {
        Object r = issue(keys, op, node++).get(s.timeoutMillis(), TimeUnit.MILLISECONDS);
        record(op, t0, op == 0 && target.notFound(r) ? Outcome.NOT_FOUND : Outcome.OK);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        errors[op].increment();
      }
    }
  }

  private void paced(long start) {
    KeyChooser keys = new KeyChooser(s.keyDistribution(), s.keys(), 17);
    long interval = (long) (1e9 / s.rate());
    for (long i = 0; !stop && budget.decrementAndGet() >= 0; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // pacing a load generator, not synchronisation
      }
      if (inFlight.get() > 10_000) {
        continue; // the target has stalled: do not pile up unbounded work
      }
      int op = keys.nextDouble() < s.getFraction() ? 0 : 1;
      inFlight.incrementAndGet();
      issue(keys, op, (int) i)
          .orTimeout(s.timeoutMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (r, e) -> {
                inFlight.decrementAndGet();
                if (e != null) {
                  errors[op].increment();
                } else {
                  record(op, due, op == 0 && target.notFound(r) ? Outcome.NOT_FOUND : Outcome.OK);
                }
              });
    }
  }

  /** Counts one finished operation that started (or was due) at {@code t0}. */
  private void record(int op, long t0, Outcome outcome) {
    if (outcome == Outcome.ERROR) {
      errors[op].increment();
      return;
    }
    recorders[op].recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
    ops[op].increment();
    if (outcome == Outcome.NOT_FOUND) {
      notFound.increment();
    }
  }

  /**
   * One closed-loop worker that a {@link LaneTarget} runs on its own I/O thread: {@link #next}
   * picks the operation (or says stop), {@link #key} its key, {@link #done} records how it ended.
   * Owned by whichever single thread drives it at a time (one operation in flight).
   */
  final class Lane {
    private final int index;
    private final KeyChooser keys;
    private final CountDownLatch stopped;
    private long start;
    private int op;

    private Lane(int index, long seed, CountDownLatch stopped) {
      this.index = index;
      this.keys = new KeyChooser(s.keyDistribution(), s.keys(), seed);
      this.stopped = stopped;
    }

    int index() {
      return index;
    }

    /** The next operation (0 get, 1 put) from now, or -1: the run is over and the lane stops. */
    int next() {
      if (stop || budget.decrementAndGet() < 0) {
        stopped.countDown();
        return -1;
      }
      op = keys.nextDouble() < s.getFraction() ? 0 : 1;
      start = System.nanoTime();
      return op;
    }

    /** The key index of the operation {@link #next} returned. */
    int key() {
      return keys.next();
    }

    /** The bytes every put writes (shared: never modify). */
    byte[] value() {
      return value;
    }

    void done(Outcome outcome) {
      record(op, start, outcome);
    }
  }
}
