package dev.partisan.jepsen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes what a person reads after a run: a verdict file per scenario next to its history, and one
 * summary.md for the whole run (the table docs/jepsen.md copies).
 */
final class Report {

  /** The outcome of one scenario. */
  record ScenarioResult(
      String scenario,
      String nemesis,
      String clients,
      long loadMillis,
      Long convergeMillis,
      List<Checker.Verdict> verdicts,
      String error) {

    boolean passed() {
      return error == null && verdicts.stream().allMatch(Checker.Verdict::passed);
    }
  }

  private final Path runDir;
  private final JepsenConfig config;
  private final Instant started = Instant.now();
  private final List<ScenarioResult> results = new ArrayList<>();

  Report(Path runDir, JepsenConfig config) {
    this.runDir = runDir;
    this.config = config;
  }

  Path runDir() {
    return runDir;
  }

  synchronized void add(ScenarioResult r) {
    results.add(r);
    write(runDir.resolve(r.scenario()).resolve("verdict.txt"), verdictText(r));
  }

  static String verdictText(ScenarioResult r) {
    StringBuilder b = new StringBuilder();
    b.append("scenario: ").append(r.scenario()).append('\n');
    b.append("nemesis:  ").append(r.nemesis()).append('\n');
    b.append("clients:  ").append(r.clients()).append('\n');
    b.append("load:     ").append(r.loadMillis()).append(" ms\n");
    b.append("converged after heal (slowest cycle): ")
        .append(r.convergeMillis() == null ? "NO" : r.convergeMillis() + " ms")
        .append("\n");
    if (r.error() != null) {
      b.append("ERROR: ").append(r.error()).append('\n');
    }
    for (Checker.Verdict v : r.verdicts()) {
      b.append('\n').append(v.workload()).append(v.mustNotLose() ? "" : " (reported, not failed)");
      b.append(": ").append(!v.mustNotLose() ? "REPORTED" : v.passed() ? "PASS" : "FAIL");
      b.append('\n');
      if (v.counter() != null) {
        b.append(counterText(v));
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "  attempted %d, acknowledged %d, failed %d, unknown %d (present %d, absent %d)%n",
              v.attempted(),
              v.acked(),
              v.failed(),
              v.unknown(),
              v.unknownPresent(),
              v.unknownAbsent()));
      b.append(
          String.format(
              Locale.ROOT,
              "  final read (R=all, every node): %d present; lost acknowledged %d (%.1f%%)%n",
              v.finalSize(),
              v.lost().size(),
              100 * v.lossRate()));
      b.append("  lost: ").append(sample(v.lost())).append('\n');
      b.append("  never attempted or failed yet present: ").append(sample(v.unexpected()));
      b.append('\n');
      b.append("  nodes disagreeing: ").append(sample(v.divergence())).append('\n');
    }
    return b.toString();
  }

  /** A counter's lines of verdict.txt: the sums by outcome, the bounds, each node's value. */
  private static String counterText(Checker.Verdict v) {
    Checker.CounterFigures c = v.counter();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "  increments attempted %d: acknowledged %d (sum %d), failed %d (sum %d),"
                + " unknown %d (sum %d)%n",
            v.attempted(),
            v.acked(),
            c.ackedSum(),
            v.failed(),
            c.failedSum(),
            v.unknown(),
            c.unknownSum()));
    b.append(
        String.format(
            Locale.ROOT,
            "  required on every node (R=all): %d <= value <= %d; read: %s%n",
            c.ackedSum(),
            c.ackedSum() + c.unknownSum(),
            c.values()));
    b.append(
        String.format(
            Locale.ROOT,
            "  of the unknown increments' sum %d, %d is in the value%n",
            c.unknownSum(),
            c.unknownApplied()));
    b.append("  under the acknowledged sum: ").append(sample(v.lost())).append('\n');
    b.append("  over acknowledged + unknown: ").append(sample(v.unexpected())).append('\n');
    b.append("  nodes disagreeing: ").append(sample(v.divergence())).append('\n');
    return b.toString();
  }

  /** summary.md: one page for the run. */
  synchronized void writeSummary() {
    StringBuilder b = new StringBuilder();
    b.append("# Jepsen-style run ").append(runDir.getFileName()).append("\n\n");
    b.append("Started ").append(started).append(", finished ").append(Instant.now());
    b.append(". Mode: ").append(config.soak() ? "soak" : "bounded (CI)");
    b.append(
        String.format(
            Locale.ROOT,
            "; per cycle: %d s load before the fault, %d s fault, %d s after heal; %d cycle(s);"
                + " quiet %d s; %d clients per node, one op per %d ms each; ring size %d.%n%n",
            config.beforeFault().toSeconds(),
            config.faultHold().toSeconds(),
            config.afterHeal().toSeconds(),
            config.cycles(),
            config.quietPeriod().toSeconds(),
            config.clientsPerNode(),
            config.opInterval().toMillis(),
            config.ringSize()));
    b.append(
        "| scenario | bucket | acknowledged | lost | lost % | unknown present/absent |"
            + " failed | nodes disagree | converged after heal | verdict |\n");
    b.append("| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: | --- |\n");
    for (ScenarioResult r : results) {
      String conv = r.convergeMillis() == null ? "no" : seconds(r.convergeMillis());
      if (r.verdicts().isEmpty()) {
        b.append("| ")
            .append(r.scenario())
            .append(" | | | | | | | | ")
            .append(conv)
            .append(" | ERROR: ")
            .append(r.error())
            .append(" |\n");
      }
      for (Checker.Verdict v : r.verdicts()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %d | %.1f | %s | %d | %s | %s | %s |%n",
                r.scenario(),
                v.workload(),
                acknowledgedCell(v),
                v.counter() == null ? v.lost().size() : v.counter().shortfall(),
                100 * v.lossRate(),
                unknownCell(v),
                v.failed(),
                v.divergence().isEmpty() ? "no" : "YES (" + v.divergence().size() + ")",
                conv,
                r.error() != null
                    ? "ERROR"
                    : v.mustNotLose() ? (v.passed() ? "pass" : "FAIL") : "reported"));
      }
    }
    b.append(
        "\nCounter rows: *acknowledged* is the count of acknowledged increments and their sum;"
            + " *lost* is the amount by which a node's final value falls short of that sum;"
            + " *unknown* is how much of the unknown increments' sum the value holds.\n");
    b.append("\nNemesis per scenario:\n\n");
    for (ScenarioResult r : results) {
      b.append("- ").append(r.scenario()).append(": ").append(r.nemesis());
      b.append(" (clients: ").append(r.clients()).append(")");
      if (r.error() != null) {
        b.append(" — ERROR: ").append(r.error());
      }
      b.append('\n');
    }
    b.append(
        "\nPer scenario: `<scenario>/history.txt` (every invocation and completion),"
            + " `<scenario>/verdict.txt`; node logs in `logs/`.\n");
    write(runDir.resolve("summary.md"), b.toString());
  }

  private static String acknowledgedCell(Checker.Verdict v) {
    return v.counter() == null
        ? String.valueOf(v.acked())
        : v.acked() + " (sum " + v.counter().ackedSum() + ")";
  }

  private static String unknownCell(Checker.Verdict v) {
    return v.counter() == null
        ? v.unknownPresent() + " / " + v.unknownAbsent()
        : v.counter().unknownApplied() + " of " + v.counter().unknownSum();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String sample(List<String> items) {
    if (items.isEmpty()) {
      return "none";
    }
    return items.size() <= 20
        ? items.toString()
        : items.subList(0, 20) + " ... (" + items.size() + " in all)";
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
