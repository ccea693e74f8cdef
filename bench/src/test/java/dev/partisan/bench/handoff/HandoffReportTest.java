package dev.partisan.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.partisan.bench.handoff.ModeResult.PhaseName;
import dev.partisan.bench.report.GcPauses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's CSV and summary from made-up runs: their shape, the pooling and the spread. */
class HandoffReportTest {
  private static final List<ChannelMode> MODES =
      List.of(ChannelMode.BASELINE, ChannelMode.CHANNELS_NO_CLASSES, ChannelMode.CHANNELS);

  /** {@code count} gets all taking {@code micros}, and one put. */
  private static FixedRateLoad.Stats stats(long count, long micros) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(micros, count);
    return new FixedRateLoad.Stats(count, 0, h);
  }

  private static ModeResult.Phase phase(long micros, double seconds, long exchanges) {
    return new ModeResult.Phase(
        stats(100, micros),
        stats(10, micros * 2),
        seconds,
        new AntiEntropyLoad.Activity(exchanges, 0, 1),
        0.5,
        new GcPauses.Interval(2, 30, 20));
  }

  /**
   * Two rounds of three modes: idle get latency 1,000 us in round 1 and 2,000 us in round 2; during
   * the handoff baseline takes 40,000 / 80,000 us, the others 4,000 / 16,000 us; 100 MiB in 10 s.
   */
  private static List<HandoffReport.Cell> cells() {
    List<HandoffReport.Cell> cells = new ArrayList<>();
    for (int round = 1; round <= 2; round++) {
      for (ChannelMode mode : RoundsOptions.order(MODES, round)) {
        long idle = 1000L * round;
        long during = mode == ChannelMode.BASELINE ? 40_000L * round : 4_000L * round * round;
        ModeResult r =
            new ModeResult(
                mode, round, phase(idle, 1, 3), phase(during, 10, 5), 100L << 20, 3200, true);
        cells.add(new HandoffReport.Cell("hyparview", r));
      }
    }
    return cells;
  }

  /** The report of {@link #cells()} on 3 nodes, with or without anti-entropy. */
  private static HandoffReport report(boolean aae) {
    return new HandoffReport(
        SmallScenarios.of(3, new StoreSettings(aae, Map.of())),
        List.of("hyparview"),
        MODES,
        cells());
  }

  @Test
  void csvHasOneRowPerRoundModeAndPhaseWithEveryColumn() {
    HandoffReport report = report(true);
    List<String> lines = report.csv();
    assertThat(lines.get(0)).isEqualTo(HandoffReport.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(","));
    assertThat(header).contains("get_p99_us", "put_p99_us", "handoff_mib_per_s", "aae_exchanges");
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(2 * 3 * 2);
    for (String row : rows) {
      assertThat(row.split(",", -1)).as(row).hasSize(header.size());
      assertThat(row).as("the phase's GC pauses: count, total, longest").endsWith(",2,30.0,20.0");
    }
    // The round-2 row of channels during the handoff: 16,000 us gets, 100 MiB in 10 s.
    String row =
        rows.stream()
            .filter(r -> r.startsWith("hyparview,3,channels,2,handoff,"))
            .findFirst()
            .orElseThrow();
    String[] f = row.split(",", -1);
    assertThat(Double.parseDouble(f[header.indexOf("get_p99_us")])).isBetween(15_900.0, 16_100.0);
    assertThat(f[header.indexOf("handoff_mib_per_s")]).isEqualTo("10.00");
    assertThat(f[header.indexOf("handoff_complete")]).isEqualTo("true");
    assertThat(f[header.indexOf("aae_exchanges")]).isEqualTo("5");
    // Idle rows leave the handoff's columns empty.
    String idle = rows.stream().filter(r -> r.contains(",idle,")).findFirst().orElseThrow();
    assertThat(idle.split(",", -1)[header.indexOf("handoff_mib")]).isEmpty();
  }

  @Test
  void roundsArePooledAndTheirSpreadAndRatiosShown() {
    HandoffReport report = report(false);
    ModeRounds channels =
        report.modes().stream().filter(m -> m.mode() == ChannelMode.CHANNELS).findFirst().get();
    assertThat(channels.rounds()).hasSize(2);
    assertThat(channels.getP99(PhaseName.HANDOFF).min()).isBetween(3_990.0, 4_010.0);
    assertThat(channels.getP99(PhaseName.HANDOFF).max()).isBetween(15_990.0, 16_010.0);
    assertThat(channels.getP99(PhaseName.HANDOFF).format("%.0f")).contains("–");
    assertThat(channels.mibPerSecond()).isEqualTo(10.0);
    // Per round, handoff / idle is 4 and 8; baseline / channels is 10 and 5.
    // (HdrHistogram keeps 3 significant digits: the ratios are within 0.2 % of these.)
    assertThat(channels.handoffOverIdleRange().min()).isCloseTo(4, within(0.01));
    assertThat(channels.handoffOverIdleRange().max()).isCloseTo(8, within(0.02));
    ModeRounds baseline = report.modes().get(0);
    assertThat(baseline.mode()).isEqualTo(ChannelMode.BASELINE);
    assertThat(channels.baselineOverThisRange(baseline).min()).isCloseTo(5, within(0.01));
    assertThat(channels.baselineOverThisRange(baseline).max()).isCloseTo(10, within(0.02));

    String summary = report.summary("bench handoff", "intro", "0.10 0.20 0.30");
    assertThat(summary)
        .startsWith("# bench handoff\n\nintro")
        .contains("load average (1, 5, 15 min) at the start 0.10 0.20 0.30, at the end")
        .contains("## Targets", "## Each mode, all rounds pooled", "## Every round")
        .contains("| hyparview | channels | 2 | ")
        .contains("get p99 per round")
        // the rounds' get p99 during the handoff, smallest to largest, and the ratios' range
        .contains(
            "| hyparview | channels | handoff | 200 | 0 | ",
            " | " + channels.getP99(PhaseName.HANDOFF).format("%.0f") + " | ")
        .contains(
            "(" + channels.handoffOverIdleRange().format("%.2f") + ")",
            "(" + channels.baselineOverThisRange(baseline).format("%.2f") + ")",
            "| 10.0 (10.0) |")
        .doesNotContain("## Anti-entropy");
    assertThat(report.summary("t", "i", "x"))
        .contains("- anti-entropy: off", "- store settings (--kv): none");
  }

  @Test
  void roundsSectionShowsMediansAndRatiosPairedByRound() {
    String summary = report(false).summary("bench handoff", "intro", "x");
    assertThat(summary).contains("## Rounds: medians and paired ratios");
    String section = summary.substring(summary.indexOf("## Rounds: medians"));
    // Baseline / channels during the handoff is 10 in round 1 and 5 in round 2: median 7.5, clear
    // of 1.0 (HdrHistogram's 3 significant digits move the last digit at most).
    assertThat(section)
        .containsPattern(
            "\\| hyparview \\| channels \\| 2 \\| [^|]+ \\| \\d+ \\(\\d+–\\d+\\) \\| 10.0 \\|"
                + " 7\\.[45]\\dx \\([45]\\.\\d\\d–(9\\.9\\d|10\\.0\\d)\\) \\|\n")
        .contains("| hyparview | baseline | 2 | ")
        // one overlay: no column comparing overlays
        .doesNotContain("/ overlay");
  }

  @Test
  void withAntiEntropyTheSummaryCountsExchangesPerPhase() {
    HandoffReport report = report(true);
    assertThat(report.summary("t", "i", "x"))
        .contains("## Anti-entropy in each phase")
        // two rounds of 3 exchanges idle, of 5 during the handoff
        .contains("| hyparview | channels | idle | 6 | 0 | 2 |")
        .contains("| hyparview | channels | handoff | 10 | 0 | 2 |");
  }
}
