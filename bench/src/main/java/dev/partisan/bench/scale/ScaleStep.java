package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.RuntimeConfig;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One step of the ladder: starts {@code n} nodes of one overlay in this JVM (sharing one Netty
 * event loop group and one timer pool), joins them all through the first node, waits until every
 * node sees every node up, counts connections, sends one broadcast and a batch of routed unicasts
 * with replies, then closes every node and waits for their sockets to go.
 */
final class ScaleStep {
  private final StepSettings settings;
  private final String overlay;
  private final int n;
  private final int servers;
  private final StepTimings timings;
  private final String label;
  private final String prefix;
  private final StepResult result;
  private final DeliveryRecorder recorder = new DeliveryRecorder();
  private final List<PartisanRuntime> nodes = new ArrayList<>();
  private final String secret = RuntimeConfig.newClusterSecret(); // one per step's cluster
  private final Set<Integer> ports = new HashSet<>();
  private final TrafficTap tap;

  ScaleStep(
      StepSettings settings,
      String overlay,
      int n,
      int servers,
      StepTimings timings,
      int stepIndex,
      StepResult result) {
    this.settings = settings;
    this.tap = settings.countMessages() ? new TrafficTap() : null;
    this.overlay = overlay;
    this.n = n;
    this.servers = servers;
    this.timings = timings;
    this.label = label(overlay, n);
    this.prefix = abbreviation(overlay) + stepIndex + "-";
    this.result = result;
    result.timings = timings.label();
  }

  static String label(String overlay, int n) {
    return overlay + " N=" + n;
  }

  private static String abbreviation(String overlay) {
    return switch (overlay) {
      case "full-mesh" -> "fm";
      case "client-server" -> "cs";
      case "hyparview" -> "hv";
      default -> "st";
    };
  }

  /** Runs the step; the result says how it went. Never throws for a failure of the system. */
  StepResult run(ScaleLog log, PeakSampler sampler, Runnable checkpoint) {
    log.phase(label);
    sampler.reset();
    long baselineFds = ProcStats.openFds();
    EventLoopGroup group = NettyTransports.newGroup(settings.eventLoops(), "scale-netty");
    ScheduledThreadPoolExecutor timers = timerPool(settings.timerThreads());
    try {
      measure(group, timers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.fail(Status.ERROR, "interrupted");
    } catch (RuntimeException | ExecutionException | Error e) {
      e.printStackTrace(settings.progress());
      result.fail(Status.ERROR, "exception: " + e);
    } finally {
      PeakSampler.Peaks peaks = sampler.reset();
      result.peakHeapMb = peaks.heapBytes() / 1048576.0;
      result.peakThreads = peaks.threads();
      result.peakFds = peaks.fds();
      result.peakRssMb = peaks.rssBytes() / 1048576.0;
      ScaleLog.Phase during = log.get(label);
      result.warnings = during.warnings;
      result.errors = during.errors;
      result.tooManyOpenFiles = during.tooManyOpenFiles;
      if (during.tooManyOpenFiles > 0) {
        result.notes.add(
            "the process hit its open-file limit (EMFILE logged "
                + during.tooManyOpenFiles
                + " times): accepts and dials failed");
      }
      if (tap != null) {
        result.traffic = tap.counts();
      }
      checkpoint.run();
      log.phase(label + " teardown");
      new StepTeardown(nodes, ports, result).run(group, timers, baselineFds);
      result.teardownWarnings = log.get(label + " teardown").warnings;
      log.phase("between steps");
    }
    return result;
  }

  private static ScheduledThreadPoolExecutor timerPool(int threads) {
    AtomicInteger ids = new AtomicInteger();
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, "scale-timer-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    timers.setRemoveOnCancelPolicy(true);
    return timers;
  }

  private void measure(EventLoopGroup group, ScheduledThreadPoolExecutor timers)
      throws InterruptedException, ExecutionException {
    startNodes(group, timers);
    boolean converged = joinAndConverge();
    PrintStream out = settings.progress();
    ConnectionCensus census = new ConnectionCensus(nodes, n, ports, result);
    // A member counts as up once learned; connections follow at the next heartbeat. Let every
    // node heartbeat its monitored peers twice before counting.
    Thread.sleep(Math.min(5000, 2 * timings.heartbeat().toMillis() + 200));
    census.countConnections();
    out.printf(
        Locale.ROOT,
        "  sockets per node: mean %.1f, max %d (runtime total %d, /proc established %d)%n",
        result.socketsMean,
        result.socketsMax,
        result.socketsTotal,
        result.tcpEstablished);
    Random random = new Random(settings.seed() * 31 + n * 7L + overlay.hashCode());
    DeliveryTests delivery = new DeliveryTests(nodes, n, settings, recorder, result);
    delivery.broadcast(random);
    delivery.unicast(random);
    out.printf(
        Locale.ROOT,
        "  broadcast %.1f%% in %.2f s; unicast %.1f%%, replies %.1f%% (max %.0f ms)%n",
        result.broadcastRatio * 100,
        result.broadcastSeconds,
        result.unicastRatio * 100,
        result.replyRatio * 100,
        result.unicastMaxMs);
    endOfStep(census, converged);
  }

  /** Starts the step's n nodes, each with its sink (and the traffic tap when counting). */
  private void startNodes(EventLoopGroup group, ScheduledThreadPoolExecutor timers) {
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "%s%04d", prefix, i);
      String role = overlay.equals("client-server") && i >= servers ? "client" : "server";
      RuntimeConfig config =
          RuntimeConfig.builder(name)
              .clusterSecret(secret)
              .host("127.0.0.1")
              .port(0)
              .overlay(overlay)
              .role(role)
              .sharedEventLoopGroup(group)
              .sharedScheduler(timers)
              .heartbeatInterval(timings.heartbeat())
              .detectionTime(timings.detection())
              .gossipInterval(timings.gossip())
              .build();
      PartisanRuntime node = PartisanRuntime.start(config, ScaleMessages::register);
      nodes.add(node);
      ports.add(node.self().port());
      node.spawn(ScaleMessages.SINK, recorder.sink(name));
      if (tap != null) {
        tap.install(node);
      }
    }
    result.startSeconds = seconds(System.nanoTime() - t);
    settings
        .progress()
        .printf(Locale.ROOT, "  started %d nodes in %.1f s%n", n, result.startSeconds);
  }

  /** The join phase, then the wait for convergence; true if every node saw all n up in time. */
  private boolean joinAndConverge() throws InterruptedException {
    PrintStream out = settings.progress();
    long t0 = System.nanoTime();
    long deadline = t0 + settings.convergeBudget().toNanos();
    int joined = new JoinPhase(nodes, n, settings.joinConcurrency(), result).run(deadline);
    result.joinSeconds = seconds(System.nanoTime() - t0);
    out.printf(
        Locale.ROOT,
        "  join phase over after %.1f s: %d of %d joined (%d failed at first); join p50 %.0f ms,"
            + " max %.0f ms%n",
        result.joinSeconds,
        joined,
        n - 1,
        result.joinFailures,
        result.joinP50Ms,
        result.joinMaxMs);

    boolean converged = awaitConvergence(t0, deadline);
    if (converged) {
      out.printf(Locale.ROOT, "  converged in %.1f s%n", result.convergeSeconds);
    }
    return converged;
  }

  /** What the nodes hold once the tests are over: sockets, messages in transit, members, heap. */
  private void endOfStep(ConnectionCensus census, boolean converged) {
    long[] end = census.socketsPerNode();
    result.socketsEndMean = (double) end[0] / n;
    result.socketsEndMax = end[1];
    census.transit();
    long upAll = nodes.stream().filter(x -> x.overlay().upMembers().size() == n).count();
    result.upAtEnd = upAll;
    if (converged && upAll < n) {
      result.notes.add(
          (n - upAll) + " node(s) saw fewer than " + n + " members up at the end of the step");
    }
    result.droppedInbound = nodes.stream().mapToLong(PartisanRuntime::droppedInbound).sum();
    result.duplicates = recorder.duplicates.get();
    result.misdelivered = recorder.misdelivered.get();
    if (recorder.pongSendFailures.get() > 0) {
      result.notes.add(recorder.pongSendFailures.get() + " pong send(s) refused by the runtime");
    }
    if (result.misdelivered > 0) {
      result.fail(Status.FAIL, result.misdelivered + " message(s) reached the wrong node");
    }
    System.gc();
    result.liveHeapMb =
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** Polls until every node sees all n members up, or the budget runs out. */
  private boolean awaitConvergence(long t0, long deadline) throws InterruptedException {
    long lastReport = System.nanoTime();
    long poll = n > 256 ? 200 : 50;
    while (true) {
      int converged = 0;
      int minUp = n;
      for (PartisanRuntime node : nodes) {
        int up = node.overlay().upMembers().size();
        if (up == n) {
          converged++;
        }
        minUp = Math.min(minUp, up);
      }
      long now = System.nanoTime();
      result.convergedNodes = converged;
      result.minUpSeen = minUp;
      if (converged == n) {
        result.convergeSeconds = seconds(now - t0);
        return true;
      }
      if (now >= deadline) {
        result.fail(
            Status.FAIL,
            String.format(
                Locale.ROOT,
                "%d of %d nodes did not see all members up within %d s (lowest count %d)",
                n - converged,
                n,
                settings.convergeBudget().toSeconds(),
                minUp));
        return false;
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = now;
        settings
            .progress()
            .printf(
                Locale.ROOT,
                "  converging: %d/%d nodes see all members up (lowest count %d) after %.0f s;"
                    + " %d messages queued%n",
                converged,
                n,
                minUp,
                seconds(now - t0),
                sampleQueued());
      }
      Thread.sleep(poll);
    }
  }

  /** Outbound messages queued on all links now; keeps the step's peak. */
  private long sampleQueued() {
    long queued = 0;
    for (PartisanRuntime node : nodes) {
      for (LaneMetrics.Snapshot m : node.metrics()) {
        queued += m.queuedMessages();
      }
    }
    result.peakQueued = Math.max(result.peakQueued, queued);
    return queued;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
