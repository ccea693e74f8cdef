package dev.partisan.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A run is a function of its seed: the trace digest of every delivery repeats, or differs. */
class SimDeterminismTest {
  private static SimResult churn(long seed) {
    SimConfig c = SimConfig.defaults("hyparview", 60, seed).withMeasurements(3, 30);
    return SimScenario.run("churn", c, line -> {});
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    SimResult a = churn(11);
    SimResult b = churn(11);
    SimResult c = churn(12);
    assertThat(a.messages()).isGreaterThan(10_000);
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.events()).isEqualTo(a.events());
    assertThat(b.messages()).isEqualTo(a.messages());
    assertThat(c.digest()).isNotEqualTo(a.digest());
  }
}
