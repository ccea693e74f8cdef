package dev.partisan.bench.scale;

import dev.partisan.runtime.PartisanRuntime;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of a step: every node closed (in parallel, on closer threads), the shared pools stopped,
 * the step's sockets gone. Runs on the step's thread, which owns the node list it empties.
 */
final class StepTeardown {
  private static final Duration TEARDOWN_WAIT = Duration.ofSeconds(60);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(90);
  private static final int CLOSE_THREADS = 32;

  private final List<PartisanRuntime> nodes;
  private final Set<Integer> ports;
  private final StepResult result;

  StepTeardown(List<PartisanRuntime> nodes, Set<Integer> ports, StepResult result) {
    this.nodes = nodes;
    this.ports = ports;
    this.result = result;
  }

  /**
   * Closes every node, stops the shared pools and, with {@code awaitSockets}, waits until the
   * step's sockets are gone and the descriptors are back near {@code baselineFds}.
   */
  void run(
      EventLoopGroup group,
      ScheduledThreadPoolExecutor timers,
      long baselineFds,
      boolean awaitSockets) {
    long t = System.nanoTime();
    AtomicInteger closeFailures = new AtomicInteger();
    ExecutorService closer = closeInParallel(closeFailures);
    try {
      if (!closer.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        result.notes.add(
            "closing the nodes took over "
                + CLOSE_WAIT.toSeconds()
                + " s (event loops overloaded); the event loops were shut down to force it");
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
      closer.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
      if (closeFailures.get() > 0) {
        result.notes.add(closeFailures.get() + " node(s) threw on close");
      }
      timers.shutdownNow();
      timers.awaitTermination(5, TimeUnit.SECONDS);
      if (awaitSockets) {
        awaitSocketsClosed(baselineFds);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nodes.clear();
    result.teardownSeconds = seconds(System.nanoTime() - t);
  }

  /**
   * Starts closing every node on a pool of closer threads, and shuts the pool down behind them. A
   * node's close waits (up to 5 s) for its event loop to close the listening socket; under overload
   * that wait is long, so nodes close in parallel, and the event loops are shut down (closing every
   * channel) if that still takes too long.
   */
  private ExecutorService closeInParallel(AtomicInteger closeFailures) {
    AtomicInteger closerIds = new AtomicInteger();
    ExecutorService closer =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(CLOSE_THREADS, nodes.size())),
            r -> {
              Thread th = new Thread(r, "scale-closer-" + closerIds.incrementAndGet());
              th.setDaemon(true);
              return th;
            });
    for (PartisanRuntime node : nodes) {
      closer.execute(
          () -> {
            try {
              node.close();
            } catch (RuntimeException e) {
              closeFailures.incrementAndGet();
            }
          });
    }
    closer.shutdown();
    return closer;
  }

  /** Waits until no socket of the step's ports is open and the descriptors are back near start. */
  void awaitSocketsClosed(long baselineFds) throws InterruptedException {
    long deadline = System.nanoTime() + TEARDOWN_WAIT.toNanos();
    while (true) {
      ProcStats.TcpCount tcp = ProcStats.tcp(ports);
      long open = Math.max(0, tcp.withDescriptor());
      long fds = ProcStats.openFds();
      result.leftoverSockets = open;
      if ((open == 0 && (fds < 0 || fds <= baselineFds + 16)) || System.nanoTime() > deadline) {
        if (open > 0) {
          result.notes.add(
              open + " socket(s) still open " + TEARDOWN_WAIT.toSeconds() + " s after close");
        }
        break;
      }
      Thread.sleep(100);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
