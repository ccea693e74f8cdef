package dev.partisan.bench.scale;

import dev.partisan.bench.scale.StepResult.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code bench scale} run: each overlay's ladder of steps, in order, each step checked against
 * the limits before it starts; results, traffic and summary rewritten after every step. Runs on the
 * command's thread.
 */
final class LadderRun {
  private final ScaleBenchCommand command;
  private final List<Integer> ladder;
  private final StepSettings settings;
  private final Path dir;
  private final RunInfo info = new RunInfo();
  private final List<StepResult> results = new ArrayList<>();
  private final long started = System.nanoTime();
  private int stepIndex = 0;

  LadderRun(ScaleBenchCommand command, List<Integer> ladder, StepSettings settings, Path dir) {
    this.command = command;
    this.ladder = ladder;
    this.settings = settings;
    this.dir = dir;
  }

  /** Runs every ladder; returns the results of every step, attempted or not. */
  List<StepResult> run() throws IOException {
    try (ScaleLog log = ScaleLog.install(dir);
        PeakSampler sampler = new PeakSampler()) {
      info.logFile = log.logFile();
      for (String overlay : command.overlays) {
        runLadder(overlay, log, sampler);
      }
      info.loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      info.finished = LocalDateTime.now().withNano(0);
      write();
    }
    return results;
  }

  /** One overlay's ladder; it stops at its first step that does not pass. */
  private void runLadder(String overlay, ScaleLog log, PeakSampler sampler) throws IOException {
    PrintStream progress = settings.progress();
    String stopReason = null;
    for (int n : ladder) {
      int s = command.serversFor(overlay, n);
      StepResult r = new StepResult(overlay, n, s);
      results.add(r);
      r.fdEstimate = command.estimateFds(overlay, n, s, settings.pairs());
      if (stopReason != null) {
        r.fail(Status.SKIPPED, stopReason);
        continue;
      }
      if (skipped(r)) {
        if (r.status == Status.LIMIT) {
          stopReason = "ladder stopped at N=" + n + " (LIMIT)";
          info.stopped.put(overlay, "N=" + n + ": LIMIT, " + r.reasonText());
        }
        continue;
      }
      StepTimings timings = command.timing.timingsFor(n);
      progress.printf(
          Locale.ROOT,
          "[%s] %sjoins through %d contact(s), %s, estimated fds %d%s (limit %d)%n",
          ScaleStep.label(overlay, n),
          overlay.equals("client-server") ? s + " servers, " : "",
          JoinPlan.forStep(overlay, n, s, command.joinContacts, settings.seed()).contacts(),
          timings.label(),
          r.fdEstimate,
          command.processes > 1 ? " in the busiest of " + command.processes + " processes" : "",
          info.fdLimit);
      new ScaleStep(settings, overlay, n, s, timings, ++stepIndex, r)
          .run(log, sampler, this::writeQuietly);
      progress.printf(
          Locale.ROOT,
          "[%s] %s%s (teardown %.1f s)%n",
          ScaleStep.label(overlay, n),
          r.status,
          r.ok() ? "" : ": " + r.reasonText(),
          r.teardownSeconds);
      info.phases.put(ScaleStep.label(overlay, n), log.get(ScaleStep.label(overlay, n)));
      info.phases.put(
          ScaleStep.label(overlay, n) + " teardown",
          log.get(ScaleStep.label(overlay, n) + " teardown"));
      if (!r.ok()) {
        stopReason = "ladder stopped at N=" + n + " (" + r.status + ")";
        info.stopped.put(overlay, "N=" + n + ": " + r.status + ", " + r.reasonText());
      }
      write();
    }
  }

  /**
   * Marks a step not attempted (SKIPPED: above its --max or past the time limit; LIMIT: more
   * descriptors than the open-file limit) and says so, or false if it should run.
   */
  private boolean skipped(StepResult r) {
    Integer cap = command.max.get(r.overlay);
    double elapsedMin = (System.nanoTime() - started) / 60e9;
    if (cap != null && r.nodes > cap) {
      r.fail(Status.SKIPPED, "above --max " + r.overlay + "=" + cap);
      return true;
    }
    if (command.timeLimitMinutes > 0 && elapsedMin >= command.timeLimitMinutes) {
      r.fail(Status.SKIPPED, "time limit of " + command.timeLimitMinutes + " min reached");
      return true;
    }
    if (command.fdGuard && info.fdLimit > 0 && r.fdEstimate > info.fdLimit) {
      r.fail(
          Status.LIMIT,
          String.format(
              Locale.ROOT,
              "needs ~%d descriptors%s (2 per connection within a process), above the"
                  + " open-file limit %d",
              r.fdEstimate,
              command.processes > 1 ? " in the busiest process" : "",
              info.fdLimit));
      return true;
    }
    return false;
  }

  /** Writes what is known so far, e.g. before a step's (possibly long) teardown. */
  private void writeQuietly() {
    try {
      write();
    } catch (IOException e) {
      settings.progress().println("could not write results: " + e);
    }
  }

  private void write() throws IOException {
    Files.writeString(dir.resolve("results.csv"), ScaleReport.csv(results), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("traffic.csv"), ScaleReport.trafficCsv(results), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("summary.md"),
        new ScaleSummary(command, info, ladder, settings).render(results),
        StandardCharsets.UTF_8);
  }
}
