package dev.partisan.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What a kv-scale row says of its run. */
class KvScaleReportTest {

  private static KvScaleRun.Phase phase(long answered, long failed) {
    return new KvScaleRun.Phase(answered, failed, new Histogram(3), 0, 0, new Histogram(3));
  }

  private static KvScaleRun.Result result(KvScaleRun.Phase steady, String failure) {
    return new KvScaleRun.Result("hyparview", 32, 0, 31, 5.0, 2.0, steady, null, null, failure);
  }

  @Test
  void aRunThatAnsweredNearlyEverythingIsOk() {
    assertThat(KvScaleReport.status(result(phase(995, 5), null))).isEqualTo("ok");
  }

  @Test
  void aRunOfTimeoutsIsDegradedNotOk() {
    assertThat(KvScaleReport.status(result(phase(5, 4_739), null)))
        .isEqualTo("DEGRADED: 0.11 % served in steady state");
  }

  @Test
  void aRunThatStoppedShortFailsWithItsReason() {
    assertThat(KvScaleReport.status(result(null, "fm-p0 did not answer 'join' within 120 s")))
        .isEqualTo("FAIL: fm-p0 did not answer 'join' within 120 s");
  }
}
