package dev.partisan.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic work of a node's background actors (ring, handoff, anti-entropy): each is told a
 * tick message at a fixed rate, until the node closes. Thread-safe.
 */
final class Ticks {
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

  Ticks(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs {@code tick} every {@code period}, the first time one period from now. */
  synchronized void every(Duration period, Runnable tick) {
    long ms = period.toMillis();
    scheduled.add(scheduler.scheduleAtFixedRate(tick, ms, ms, TimeUnit.MILLISECONDS));
  }

  synchronized void cancel() {
    scheduled.forEach(f -> f.cancel(false));
    scheduled.clear();
  }
}
