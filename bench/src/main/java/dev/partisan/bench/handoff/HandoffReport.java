package dev.partisan.bench.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench handoff} writes: results.csv (one row per mode, round, phase, op), summary.md.
 */
final class HandoffReport {
  static final String CSV_HEADER =
      "mode,round,phase,op,ops,errors,ops_per_s,p50_us,p99_us,p999_us,max_us,"
          + "handoff_mib,handoff_s,handoff_mib_per_s,handoff_complete";

  private final HandoffScenario scenario;
  private final List<String> modes;
  private final List<ModeResult> results;

  HandoffReport(HandoffScenario scenario, List<String> modes, List<ModeResult> results) {
    this.scenario = scenario;
    this.modes = modes;
    this.results = results;
  }

  void writeCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (ModeResult r : results) {
      for (String phase : List.of("idle", "handoff")) {
        FixedRateLoad.Stats[] stats = phase.equals("idle") ? r.idle() : r.handoff();
        double seconds = phase.equals("idle") ? r.idleSeconds() : r.handoffSeconds();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats[op];
          double mib = r.handoffBytes() / 1048576.0;
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s,%d,%s,%s,%s,%s,%s,%s,%s",
                  r.mode(),
                  r.round(),
                  phase,
                  op == 0 ? "get" : "put",
                  s.csvFigures(seconds),
                  phase.equals("handoff") ? String.format(Locale.ROOT, "%.1f", mib) : "",
                  phase.equals("handoff")
                      ? String.format(Locale.ROOT, "%.1f", r.handoffSeconds())
                      : "",
                  phase.equals("handoff")
                      ? String.format(Locale.ROOT, "%.2f", mib / Math.max(1e-9, r.handoffSeconds()))
                      : "",
                  phase.equals("handoff") ? Boolean.toString(r.completed()) : ""));
        }
      }
    }
    Files.write(file, lines);
  }

  String summary() {
    StringBuilder b = new StringBuilder();
    b.append("# bench handoff\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%d MiB seeded on two nodes in %d KiB objects (N=3); a third node joins and receives"
                + " its share by handoff (ring %d, handoff concurrency %d, rate limit %s); client on"
                + " the receiving node: %.0f ops/s, %.0f%% gets, %d keys of %d B, R=W=quorum; %d"
                + " cores, %s.%n%n",
            scenario.volumeMb(),
            scenario.valueKb(),
            scenario.ringSize(),
            scenario.concurrency(),
            scenario.handoffRateMb() > 0 ? scenario.handoffRateMb() + " MiB/s per node" : "none",
            scenario.rate(),
            scenario.getFraction() * 100,
            scenario.clientKeys(),
            scenario.clientValue(),
            Runtime.getRuntime().availableProcessors(),
            LocalDateTime.now().withNano(0)));
    perRound(b);
    pooled(b);
    ratios(b);
    return b.toString();
  }

  /** Every mode of every round, each phase and operation. */
  private void perRound(StringBuilder b) {
    b.append(
        "| mode | round | phase | op | ops | errors | p50 us | p99 us | p99.9 us | max us |"
            + " handoff |\n");
    b.append("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (ModeResult r : results) {
      for (String phase : List.of("idle", "handoff")) {
        FixedRateLoad.Stats[] stats = phase.equals("idle") ? r.idle() : r.handoff();
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = stats[op];
          String handoff =
              phase.equals("handoff") && op == 0
                  ? String.format(
                      Locale.ROOT,
                      "%.1f MiB in %.1f s (%.1f MiB/s)%s",
                      r.handoffBytes() / 1048576.0,
                      r.handoffSeconds(),
                      r.handoffBytes() / 1048576.0 / Math.max(1e-9, r.handoffSeconds()),
                      r.completed() ? "" : " INCOMPLETE")
                  : "";
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %s | %s | %s | %d | %s |%n",
                  r.mode(),
                  r.round(),
                  phase,
                  op == 0 ? "get" : "put",
                  s.tableFigures(),
                  s.micros().getTotalCount() == 0 ? 0 : s.micros().getMaxValue(),
                  handoff));
        }
      }
    }
  }

  /** Each mode's figures merged over the rounds. */
  private void pooled(StringBuilder b) {
    b.append("\nAll rounds pooled (latencies in us):\n\n");
    b.append("| mode | phase | op | ops | errors | p50 | p99 | p99.9 |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (String mode : modes) {
      for (String phase : List.of("idle", "handoff")) {
        for (int op = 0; op < 2; op++) {
          FixedRateLoad.Stats s = pooled(mode, phase, op);
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %s |%n",
                  mode,
                  phase,
                  op == 0 ? "get" : "put",
                  s.tableFigures()));
        }
      }
    }
  }

  /** Get latency, baseline against channels, when both ran. */
  private void ratios(StringBuilder b) {
    if (modes.contains("channels") && modes.contains("baseline")) {
      for (String phase : List.of("handoff", "idle")) {
        FixedRateLoad.Stats c = pooled("channels", phase, 0);
        FixedRateLoad.Stats l = pooled("baseline", phase, 0);
        b.append(
            String.format(
                Locale.ROOT,
                "%nGet latency %s, baseline / channels (all rounds pooled):%n%n",
                phase.equals("handoff") ? "during the handoff" : "before the handoff (idle)"));
        for (double p : new double[] {50, 99}) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "- p%.0f: channels %.0f us, baseline %.0f us, ratio %.2f%n",
                  p,
                  c.percentile(p),
                  l.percentile(p),
                  l.percentile(p) / Math.max(1, c.percentile(p))));
        }
      }
    }
  }

  /** One mode's figures for a phase and operation, merged over all rounds. */
  private FixedRateLoad.Stats pooled(String mode, String phase, int op) {
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
    long count = 0;
    long errors = 0;
    for (ModeResult r : results) {
      if (r.mode().equals(mode)) {
        FixedRateLoad.Stats s = (phase.equals("idle") ? r.idle() : r.handoff())[op];
        h.add(s.micros());
        count += s.count();
        errors += s.errors();
      }
    }
    return new FixedRateLoad.Stats(count, errors, h);
  }
}
