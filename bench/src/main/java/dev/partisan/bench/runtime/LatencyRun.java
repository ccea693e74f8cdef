package dev.partisan.bench.runtime;

import dev.partisan.bench.runtime.BenchMessages.Ack;
import dev.partisan.bench.runtime.BenchMessages.Request;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.AskException;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency: {@code requesters} closed-loop threads on A each ask their own echo actor on
 * B (with the payload) and wait for its tiny {@link Ack} before asking again. Every round trip that
 * starts and ends inside the measured window goes into an HdrHistogram (nanoseconds).
 *
 * <p>Closed loop: a slow reply delays the next request, so the percentiles are not corrected for
 * coordinated omission; they describe what a caller that waits for each answer sees.
 */
final class LatencyRun {
  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** What one latency cell measured. */
  record Result(
      double seconds,
      Histogram histogram,
      long timeouts,
      long failures,
      long queueFull,
      String firstFailure,
      JvmStats.Gc gc,
      double timerCpuShare) {

    long requests() {
      return histogram.getTotalCount();
    }

    double requestsPerSecond() {
      return requests() / seconds;
    }

    double percentileMicros(double p) {
      return histogram.getValueAtPercentile(p) / 1e3;
    }

    double maxMicros() {
      return histogram.getMaxValue() / 1e3;
    }

    double meanMicros() {
      return histogram.getMean() / 1e3;
    }
  }

  private final TwoNodes nodes;
  private final List<Topology.Route> routes;
  private final byte[] payload;
  private final Duration askTimeout;
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder queueFull = new LongAdder();
  private volatile String firstFailure;
  private volatile long measureStart = Long.MAX_VALUE;
  private volatile long measureEnd = Long.MAX_VALUE;
  private volatile boolean stop;

  LatencyRun(TwoNodes nodes, List<Topology.Route> routes, int payloadBytes, Duration askTimeout) {
    this.askTimeout = askTimeout;
    this.nodes = nodes;
    this.routes = routes;
    this.payload = new byte[payloadBytes];
  }

  static String echoName(int i) {
    return "bench-echo-" + i;
  }

  Result run(Duration warmup, Duration duration) {
    for (int i = 0; i < routes.size(); i++) {
      nodes.b.spawn(
          echoName(i),
          (ctx, msg) -> {
            if (msg instanceof Request r) {
              ctx.reply(new Ack(r.id()));
            }
          });
    }
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> requesters = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      Histogram h = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
      histograms.add(h);
      int id = i;
      requesters.add(
          Thread.ofPlatform().name("bench-requester-" + i).daemon().start(() -> request(id, h)));
    }
    long start;
    long end;
    JvmStats.Gc gc;
    long timerCpu;
    String timer = "partisan-timer-" + TwoNodes.NODE_A;
    try {
      ThroughputRun.sleep(warmup);
      JvmStats.Gc gcBefore = JvmStats.gc();
      long timerBefore = JvmStats.cpuNanosOfThreads(timer);
      start = System.nanoTime();
      measureStart = start;
      ThroughputRun.sleep(duration);
      end = System.nanoTime();
      measureEnd = end;
      timerCpu = JvmStats.cpuNanosOfThreads(timer) - timerBefore;
      gc = JvmStats.gc().minus(gcBefore);
    } finally {
      stop = true;
      for (Thread t : requesters) {
        ThroughputRun.joinQuietly(t);
      }
    }
    Histogram all = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    for (Histogram h : histograms) {
      all.add(h);
    }
    return new Result(
        (end - start) / 1e9,
        all,
        timeouts.sum(),
        failures.sum(),
        queueFull.sum(),
        firstFailure,
        gc,
        timerCpu / (double) (end - start));
  }

  /** One closed-loop requester; the histogram is confined to this thread until it ends. */
  private void request(int id, Histogram histogram) {
    Topology.Route route = routes.get(id);
    ActorRef to = ActorRef.of(TwoNodes.NODE_B, echoName(id));
    SendOptions options = SendOptions.on(route.channel()).key(route.key());
    long seq = 0;
    while (!stop) {
      long begin = System.nanoTime();
      try {
        Object reply =
            nodes
                .a
                .ask(to, new Request(seq++, payload), askTimeout, options)
                .get(askTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        long done = System.nanoTime();
        if (!(reply instanceof Ack)) {
          fail("unexpected reply " + reply);
        } else if (begin >= measureStart && done <= measureEnd) {
          histogram.recordValue(Math.min(done - begin, HIGHEST_TRACKABLE_NANOS));
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof AskException ae && ae.result() == SendResult.QUEUE_FULL) {
          queueFull.increment();
          LockSupport.parkNanos(100_000);
        } else if (cause instanceof TimeoutException) {
          timeouts.increment();
        } else {
          fail(String.valueOf(cause));
          LockSupport.parkNanos(1_000_000);
        }
      } catch (TimeoutException e) {
        timeouts.increment();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void fail(String what) {
    failures.increment();
    if (firstFailure == null) {
      firstFailure = what;
    }
  }
}
