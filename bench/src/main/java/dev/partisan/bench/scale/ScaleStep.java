package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepNodes.EndCounts;
import dev.partisan.bench.scale.StepNodes.UpCount;
import dev.partisan.bench.scale.StepResult.Status;
import dev.partisan.runtime.RuntimeConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One step of the ladder: starts {@code n} nodes of one overlay (in this JVM, sharing one Netty
 * event loop group and one timer pool, or spread over child processes that each do so), joins them
 * through the contacts of a {@link JoinPlan} (the first K nodes), waits until every node sees every
 * node up, counts connections, sends one broadcast and a batch of routed unicasts with replies,
 * then closes every node and waits for their sockets (and child processes) to go.
 */
final class ScaleStep {
  private final StepSettings settings;
  private final String overlay;
  private final int n;
  private final StepTimings timings;
  private final String label;
  private final HostSpec spec;
  private final StepResult result;
  private final String secret = RuntimeConfig.newClusterSecret(); // one per step's cluster

  ScaleStep(
      StepSettings settings,
      String overlay,
      int n,
      int servers,
      StepTimings timings,
      int stepIndex,
      StepResult result) {
    this.settings = settings;
    this.overlay = overlay;
    this.n = n;
    this.timings = timings;
    this.label = label(overlay, n);
    this.spec =
        HostSpec.of(
            overlay, n, servers, abbreviation(overlay) + stepIndex + "-", timings, settings);
    this.result = result;
    result.timings = timings.label();
    result.processes = settings.processes().count();
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
    StepNodes nodes = null;
    try {
      nodes = start(sampler);
      measure(nodes, log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.fail(Status.ERROR, "interrupted");
    } catch (RuntimeException | Error e) {
      e.printStackTrace(settings.progress());
      result.fail(Status.ERROR, "exception: " + e);
    } finally {
      peaks(nodes, sampler);
      ScaleLog.Phase during = log.get(label);
      result.warnings = during.warnings;
      result.errors = during.errors;
      result.tooManyOpenFiles = during.tooManyOpenFiles;
      if (during.tooManyOpenFiles > 0) {
        result.notes.add(
            "a process hit its open-file limit (EMFILE logged "
                + during.tooManyOpenFiles
                + " times): accepts and dials failed");
      }
      checkpoint.run();
      log.phase(label + " teardown");
      if (nodes != null) {
        nodes.close(result);
        if (nodes instanceof ProcessNodes p) {
          p.teardownLogs().forEach(c -> log.add(label + " teardown", c));
        }
      }
      result.teardownWarnings = log.get(label + " teardown").warnings;
      log.phase("between steps");
    }
    return result;
  }

  private StepNodes start(PeakSampler sampler) throws InterruptedException {
    long t = System.nanoTime();
    StepNodes nodes;
    int p = settings.processes().count();
    if (p <= 1) {
      nodes = LocalNodes.start(spec, secret, allNodes(), sampler, null);
    } else {
      nodes =
          ProcessNodes.start(
              spec,
              secret,
              p,
              settings.processes().jvmOptions(),
              settings.processes().logDir(),
              settings.progress());
    }
    result.startSeconds = nodes.started().seconds();
    if (nodes instanceof ProcessNodes children) {
      result.pids = children.pids();
    }
    settings
        .progress()
        .printf(
            Locale.ROOT,
            "  started %d nodes in %.1f s%s%n",
            n,
            (System.nanoTime() - t) / 1e9,
            p <= 1 ? "" : " in " + p + " processes (pids " + result.pids + ")");
    return nodes;
  }

  private List<Integer> allNodes() {
    return IntStream.range(0, n).boxed().toList();
  }

  /** Per-process peaks (max and sum over processes), read once whatever happened. */
  private void peaks(StepNodes nodes, PeakSampler sampler) {
    List<StepNodes.ProcessPeaks> peaks = List.of();
    try {
      if (nodes != null) {
        peaks = nodes.peaks();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      result.notes.add("peaks not read: " + e.getMessage());
    }
    if (peaks.isEmpty()) {
      PeakSampler.Peaks p = sampler.reset();
      peaks =
          List.of(
              new StepNodes.ProcessPeaks(
                  ProcessHandle.current().pid(),
                  p.heapBytes(),
                  -1,
                  p.threads(),
                  p.fds(),
                  p.rssBytes(),
                  ProcStats.maxOpenFiles()));
    }
    result.setPeaks(peaks);
  }

  private void measure(StepNodes nodes, ScaleLog log) throws InterruptedException {
    boolean converged = joinAndConverge(nodes);
    PrintStream out = settings.progress();
    // A member counts as up once learned; connections follow at the next heartbeat. Let every
    // node heartbeat its monitored peers twice before counting.
    Thread.sleep(Math.min(5000, 2 * timings.heartbeat().toMillis() + 200));
    ConnectionCensus.countConnections(
        nodes.views(), new HashSet<>(nodes.started().ports()), result);
    out.printf(
        Locale.ROOT,
        "  sockets per node: mean %.1f, max %d (runtime total %d, /proc established %d)%n",
        result.socketsMean,
        result.socketsMax,
        result.socketsTotal,
        result.tcpEstablished);
    Random random = new Random(settings.seed() * 31 + n * 7L + overlay.hashCode());
    DeliveryTests delivery = new DeliveryTests(nodes, n, settings, result);
    delivery.broadcast(random);
    delivery.unicast(random);
    EndCounts end = nodes.endCounts();
    delivery.latencies(end.pingTimes());
    out.printf(
        Locale.ROOT,
        "  broadcast %.1f%% in %.2f s; unicast %.1f%%, replies %.1f%% (max %.0f ms)%n",
        result.broadcastRatio * 100,
        result.broadcastSeconds,
        result.unicastRatio * 100,
        result.replyRatio * 100,
        result.unicastMaxMs);
    endOfStep(nodes, end, converged, log);
  }

  /** The join phase, then the wait for convergence; true if every node saw all n up in time. */
  private boolean joinAndConverge(StepNodes nodes) throws InterruptedException {
    PrintStream out = settings.progress();
    long t0 = System.nanoTime();
    long deadline = t0 + settings.convergeBudget().toNanos();
    JoinPlan plan =
        JoinPlan.forStep(overlay, n, spec.servers(), settings.joinContacts(), settings.seed());
    result.joinContacts = plan.contacts();
    List<JoinOutcome> waves = new ArrayList<>();
    for (int wave : plan.waves()) {
      // Wave after wave: a contact takes joins only once it has joined itself.
      waves.add(nodes.join(plan, wave, settings.joinConcurrency(), deadline));
    }
    JoinOutcome joins = JoinOutcome.merge(waves);
    joins.applyTo(result);
    result.joinSeconds = seconds(System.nanoTime() - t0);
    out.printf(
        Locale.ROOT,
        "  join phase over after %.1f s: %d of %d joined through %d contact(s) (%d failed at"
            + " first); join p50 %.0f ms, max %.0f ms%n",
        result.joinSeconds,
        joins.joined(),
        n - 1,
        plan.contacts(),
        result.joinFailures,
        result.joinP50Ms,
        result.joinMaxMs);

    boolean converged = awaitConvergence(nodes, t0, deadline);
    if (converged) {
      out.printf(Locale.ROOT, "  converged in %.1f s%n", result.convergeSeconds);
    }
    return converged;
  }

  /** What the nodes hold once the tests are over: sockets, messages in transit, members, faults. */
  private void endOfStep(StepNodes nodes, EndCounts end, boolean converged, ScaleLog log)
      throws InterruptedException {
    long[] sockets = ConnectionCensus.sockets(nodes.views());
    result.socketsEndMean = (double) sockets[0] / n;
    result.socketsEndMax = sockets[1];
    ConnectionCensus.transit(end, result);
    result.upAtEnd = end.upAll();
    if (converged && end.upAll() < n) {
      result.notes.add(
          (n - end.upAll())
              + " node(s) saw fewer than "
              + n
              + " members up at the end of the step");
    }
    result.droppedInbound = end.droppedInbound();
    result.duplicates = end.duplicates();
    result.misdelivered = end.misdelivered();
    result.traffic = end.traffic();
    if (end.log() != null) {
      log.add(label, end.log());
    }
    if (end.pongSendFailures() > 0) {
      result.notes.add(end.pongSendFailures() + " pong send(s) refused by the runtime");
    }
    if (result.misdelivered > 0) {
      result.fail(Status.FAIL, result.misdelivered + " message(s) reached the wrong node");
    }
  }

  /** Polls until every node sees all n members up, or the budget runs out. */
  private boolean awaitConvergence(StepNodes nodes, long t0, long deadline)
      throws InterruptedException {
    long lastReport = System.nanoTime();
    long poll = n > 256 ? 200 : 50;
    while (true) {
      UpCount up = nodes.upCount();
      long now = System.nanoTime();
      result.convergedNodes = up.converged();
      result.minUpSeen = up.minUp();
      if (up.converged() == n) {
        result.convergeSeconds = seconds(now - t0);
        return true;
      }
      if (now >= deadline) {
        result.fail(
            Status.FAIL,
            String.format(
                Locale.ROOT,
                "%d of %d nodes did not see all members up within %d s (lowest count %d)",
                n - up.converged(),
                n,
                settings.convergeBudget().toSeconds(),
                up.minUp()));
        return false;
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = now;
        long queued = nodes.queued();
        result.peakQueued = Math.max(result.peakQueued, queued);
        settings
            .progress()
            .printf(
                Locale.ROOT,
                "  converging: %d/%d nodes see all members up (lowest count %d) after %.0f s;"
                    + " %d messages queued%n",
                up.converged(),
                n,
                up.minUp(),
                seconds(now - t0),
                queued);
      }
      Thread.sleep(poll);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
