package dev.partisan.bench.handoff;

import dev.partisan.bench.rounds.PairedRatio;
import dev.partisan.bench.rounds.Spread;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The summary's "Rounds" table: per overlay and mode the median and min–max over the rounds of the
 * get p99 idle and during the handoff, and the ratios paired by round (round i of one against round
 * i of the other, which ran in the same round): baseline / this mode on the same overlay, and the
 * first overlay / this overlay in the same mode; a ratio whose rounds fall on both sides of 1.0 is
 * marked noise ({@link PairedRatio}). Built once on the command's thread.
 */
final class RoundsSummary {
  private final List<ModeRounds> modes;

  RoundsSummary(List<ModeRounds> modes) {
    this.modes = List.copyOf(modes);
  }

  void append(StringBuilder b) {
    if (modes.isEmpty()) {
      return;
    }
    String firstOverlay = modes.get(0).overlay();
    boolean overlays = modes.stream().map(ModeRounds::overlay).distinct().count() > 1;
    b.append(
        "\n## Rounds: medians and paired ratios\n\nGet p99 in us: the median of the rounds, in"
            + " brackets the smallest and largest round. Ratios are taken round by round (round i"
            + " against round i of the other, which ran in the same round of the ABBA order), then"
            + " their median and range; higher is better for this mode or overlay; `noise`: the"
            + " rounds disagree on which side of 1.0 it falls.\n\n");
    b.append(
        "| overlay | mode | rounds | idle p99 | handoff p99 | handoff MiB/s | baseline / mode,"
            + " handoff p99 |");
    b.append(overlays ? " " + firstOverlay + " / overlay, handoff p99 |\n" : "\n");
    b.append("| --- | --- | ---: | ---: | ---: | ---: | --- |")
        .append(overlays ? " --- |\n" : "\n");
    for (ModeRounds m : modes) {
      ModeRounds base = find(m.overlay(), ChannelMode.BASELINE);
      ModeRounds sameModeFirstOverlay = find(firstOverlay, m.mode());
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %s | %s |%s%n",
              m.overlay(),
              m.mode().label(),
              m.rounds().size(),
              spread(m, r -> r.idle().get().percentile(99)).format("%.0f"),
              spread(m, r -> r.handoff().get().percentile(99)).format("%.0f"),
              spread(m, ModeResult::handoffMibPerSecond).format("%.1f"),
              base == null || base == m ? "-" : handoffP99Ratio(base, m).format(),
              !overlays
                  ? ""
                  : " "
                      + (sameModeFirstOverlay == null || sameModeFirstOverlay == m
                          ? "-"
                          : handoffP99Ratio(sameModeFirstOverlay, m).format())
                      + " |"));
    }
  }

  /** {@code reference}'s handoff get p99 over {@code m}'s, round by round. */
  static PairedRatio handoffP99Ratio(ModeRounds reference, ModeRounds m) {
    ToDoubleFunction<ModeResult> p99 = r -> Math.max(1, r.handoff().get().percentile(99));
    return PairedRatio.of(
        m.rounds().stream().map(p99::applyAsDouble).toList(),
        reference.rounds().stream().map(p99::applyAsDouble).toList());
  }

  private static Spread spread(ModeRounds m, ToDoubleFunction<ModeResult> figure) {
    return Spread.of(m.rounds().stream().map(figure::applyAsDouble).toList());
  }

  private ModeRounds find(String overlay, ChannelMode mode) {
    return modes.stream()
        .filter(m -> m.overlay().equals(overlay) && m.mode() == mode)
        .findFirst()
        .orElse(null);
  }
}
