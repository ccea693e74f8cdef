package dev.partisan.bench.handoff;

import dev.partisan.bench.handoff.ModeResult.PhaseName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Every round of one mode (on one overlay), and what the summaries say of them: the client's
 * figures pooled over the rounds, their spread from round to round, and the ratios the targets of
 * issue 14 are stated in. Immutable.
 */
record ModeRounds(String overlay, ChannelMode mode, List<ModeResult> rounds) {
  /** The smallest and largest of a figure over the rounds. */
  record Range(double min, double max) {
    static Range of(List<Double> values) {
      return new Range(
          values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
          values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    /** {@code min–max} with {@code format} for each, or the one value if they are equal. */
    String format(String format) {
      String lo = String.format(Locale.ROOT, format, min);
      String hi = String.format(Locale.ROOT, format, max);
      return lo.equals(hi) ? lo : lo + "–" + hi;
    }
  }

  ModeRounds {
    rounds = List.copyOf(rounds);
  }

  /** The gets ({@code get} true) or puts of a phase, merged over the rounds. */
  FixedRateLoad.Stats pooled(PhaseName phase, boolean get) {
    Histogram h = new Histogram(3);
    long count = 0;
    long errors = 0;
    for (ModeResult r : rounds) {
      ModeResult.Phase p = phase.of(r);
      FixedRateLoad.Stats s = get ? p.get() : p.put();
      h.add(s.micros());
      count += s.count();
      errors += s.errors();
    }
    return new FixedRateLoad.Stats(count, errors, h);
  }

  /** Pooled get percentile {@code p} of a phase, us. */
  double getPercentile(PhaseName phase, double p) {
    return pooled(phase, true).percentile(p);
  }

  /** Each round's get p99 of a phase, smallest and largest. */
  Range getP99(PhaseName phase) {
    return range(r -> phase.of(r).get().percentile(99));
  }

  /** Get p99 during the handoff over idle get p99, pooled (target: at most 3). */
  double handoffOverIdle() {
    return getPercentile(PhaseName.HANDOFF, 99) / Math.max(1, getPercentile(PhaseName.IDLE, 99));
  }

  /** {@link #handoffOverIdle()} of each round on its own, smallest and largest. */
  Range handoffOverIdleRange() {
    return range(
        r -> r.handoff().get().percentile(99) / Math.max(1, r.idle().get().percentile(99)));
  }

  /**
   * Baseline's get p99 during the handoff over this mode's, pooled (target: at least 5 on loopback,
   * 10 link-bound).
   */
  double baselineOverThis(ModeRounds baseline) {
    return baseline.getPercentile(PhaseName.HANDOFF, 99)
        / Math.max(1, getPercentile(PhaseName.HANDOFF, 99));
  }

  /** {@link #baselineOverThis} of round i of each, smallest and largest. */
  Range baselineOverThisRange(ModeRounds baseline) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(rounds.size(), baseline.rounds.size()); i++) {
      ratios.add(
          baseline.rounds.get(i).handoff().get().percentile(99)
              / Math.max(1, rounds.get(i).handoff().get().percentile(99)));
    }
    return Range.of(ratios);
  }

  /** MiB handed off over the seconds the handoff phases took, all rounds together. */
  double mibPerSecond() {
    double mib = rounds.stream().mapToDouble(ModeResult::handoffMib).sum();
    double seconds = rounds.stream().mapToDouble(r -> r.handoff().seconds()).sum();
    return mib / Math.max(1e-9, seconds);
  }

  Range mibPerSecondRange() {
    return range(ModeResult::handoffMibPerSecond);
  }

  /** Whether every round's handoff finished. */
  boolean allCompleted() {
    return rounds.stream().allMatch(ModeResult::completed);
  }

  /** A total over the rounds of what anti-entropy did in a phase. */
  long aaeTotal(PhaseName phase, ToDoubleFunction<AntiEntropyLoad.Activity> what) {
    return Math.round(
        rounds.stream().mapToDouble(r -> what.applyAsDouble(phase.of(r).aae())).sum());
  }

  private Range range(Function<ModeResult, Double> figure) {
    return Range.of(rounds.stream().map(figure).toList());
  }

  /** The rounds of each overlay x mode, in the order given, of those that ran. */
  static List<ModeRounds> group(
      List<HandoffReport.Cell> cells, List<String> overlays, List<ChannelMode> modes) {
    List<ModeRounds> out = new ArrayList<>();
    for (String overlay : overlays) {
      for (ChannelMode mode : modes) {
        List<ModeResult> rs =
            cells.stream()
                .filter(c -> c.overlay().equals(overlay) && c.result().mode() == mode)
                .map(HandoffReport.Cell::result)
                .toList();
        if (!rs.isEmpty()) {
          out.add(new ModeRounds(overlay, mode, rs));
        }
      }
    }
    return out;
  }
}
