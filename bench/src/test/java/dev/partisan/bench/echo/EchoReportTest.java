package dev.partisan.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Each configuration is compared with the baseline of its own dispatch, senders and transport. */
class EchoReportTest {
  private static EchoRow row(String config, int roundTrips, long micros) {
    Histogram h = CellStats.newHistogram();
    h.recordValueWithCount(micros * 1_000, roundTrips);
    return new EchoRow("echo", 0, 0, config, 16, 1024, new CellStats(1.0, h, 0, 0, 0, null), 1);
  }

  @Test
  void ratiosPairRowsWithTheBaselineOfTheSameVariant() {
    EchoRow plain = row("baseline", 1_000, 100);
    EchoRow eventLoop = row("baseline+event-loop", 2_000, 50);
    EchoRow lanes = row("parallel-affinity+event-loop", 1_000, 100);
    EchoRow lanesPlain = row("parallel-affinity", 500, 200);
    EchoRow raw = row(EchoConfig.RAW_TCP, 4_000, 25);
    EchoReport report = new EchoReport(List.of(plain, eventLoop, lanes, lanesPlain, raw));

    assertThat(report.baselineOf(lanes)).contains(eventLoop);
    assertThat(report.ratios(lanes)[2]).as("throughput x base").isEqualTo(0.5);
    assertThat(report.ratios(lanes)[0]).as("p50 x base").isCloseTo(0.5, within());
    assertThat(report.baselineOf(lanesPlain)).contains(plain);
    assertThat(report.ratios(lanesPlain)[2]).isEqualTo(0.5);
    assertThat(report.baselineOf(raw)).contains(plain);
    assertThat(report.baselineOf(row("parallel+actor-senders", 1, 1))).isEmpty();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }
}
