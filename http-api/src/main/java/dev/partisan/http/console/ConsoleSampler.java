package dev.partisan.http.console;

import dev.partisan.kv.KvNode;
import dev.partisan.kv.report.ClusterReports;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the cluster for the console: one round of node reports ({@link KvNode#reports()}) turned
 * into a snapshot. It samples every interval only while someone watches (an event stream), and
 * otherwise only when a snapshot is asked for and the last one is older than the interval, so an
 * unwatched console costs nothing.
 *
 * <p>Threads: one daemon thread of its own owns the sampling state (the round in flight, the
 * periodic task and the {@link SnapshotJson} builder with its previous counters); every change to
 * them runs there. The latest snapshot is a volatile read by request threads, and watchers are a
 * concurrent set that request threads add to and remove from.
 */
final class ConsoleSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleSampler.class);

  /** One snapshot, its JSON on one line. */
  record Snapshot(long timeMs, String json) {
    /** Given to watchers when the sampler closes: their streams end. */
    static final Snapshot END = new Snapshot(Long.MAX_VALUE, "");
  }

  private final KvNode node;
  private final long intervalMs;
  private final Duration collectTimeout;
  private final ScheduledExecutorService thread;
  private final Set<Consumer<Snapshot>> watchers = ConcurrentHashMap.newKeySet();
  private volatile Snapshot latest;
  // Owned by the sampler thread.
  private final SnapshotJson builder;
  private CompletableFuture<Snapshot> inFlight;
  private ScheduledFuture<?> ticking;

  ConsoleSampler(KvNode node, boolean admin, Duration interval) {
    this.node = node;
    this.intervalMs = interval.toMillis();
    // A round must end before the next is due: members that have not answered by then are
    // reported missing.
    this.collectTimeout = Duration.ofMillis(Math.clamp(intervalMs * 3 / 4, 150, 5000));
    this.builder = new SnapshotJson(node, admin, intervalMs);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("console-sampler-" + node.name()).factory());
  }

  long intervalMs() {
    return intervalMs;
  }

  /** A snapshot at most one interval old: the latest one, or one sampled now. */
  Snapshot fresh() throws TimeoutException {
    Snapshot s = latest;
    if (s != null && System.currentTimeMillis() - s.timeMs() < intervalMs) {
      return s;
    }
    try {
      return CompletableFuture.supplyAsync(this::sample, thread)
          .thenCompose(f -> f)
          .get(collectTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sampling failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    }
  }

  /** Gives {@code watcher} every snapshot from now on; sampling runs while anyone watches. */
  void watch(Consumer<Snapshot> watcher) {
    watchers.add(watcher);
    thread.execute(this::adjustTicking);
  }

  void unwatch(Consumer<Snapshot> watcher) {
    watchers.remove(watcher);
    if (!thread.isShutdown()) {
      thread.execute(this::adjustTicking);
    }
  }

  /** Sampler thread: ticks every interval while there are watchers, not otherwise. */
  private void adjustTicking() {
    if (!watchers.isEmpty() && ticking == null) {
      ticking = thread.scheduleAtFixedRate(this::sample, 0, intervalMs, TimeUnit.MILLISECONDS);
    } else if (watchers.isEmpty() && ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
  }

  /** Sampler thread: starts a round unless one is running; completes with its snapshot. */
  private CompletableFuture<Snapshot> sample() {
    if (inFlight != null) {
      return inFlight;
    }
    CompletableFuture<Snapshot> done = new CompletableFuture<>();
    inFlight = done;
    node.reports()
        .collect(collectTimeout)
        .whenCompleteAsync((round, e) -> finish(done, round, e), thread);
    return done;
  }

  /** Sampler thread: turns a round into the latest snapshot and hands it to the watchers. */
  private void finish(CompletableFuture<Snapshot> done, ClusterReports round, Throwable e) {
    inFlight = null;
    if (e != null) {
      log.warn("{}: console sample failed: {}", node.name(), e.toString());
      done.completeExceptionally(e);
      return;
    }
    try {
      long now = System.currentTimeMillis();
      Snapshot s = new Snapshot(now, builder.build(round, now).toString());
      latest = s;
      watchers.forEach(w -> w.accept(s));
      done.complete(s);
    } catch (RuntimeException ex) {
      log.warn("{}: console snapshot failed", node.name(), ex);
      done.completeExceptionally(ex);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    watchers.forEach(w -> w.accept(Snapshot.END));
  }
}
