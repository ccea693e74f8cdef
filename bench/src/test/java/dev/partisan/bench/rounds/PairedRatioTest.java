package dev.partisan.bench.rounds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedRatioTest {
  @Test
  void eachRoundIsDividedByItsPartnerThenTheMedianTaken() {
    // Rounds: 2/1, 6/2, 5/2 -> 2.0, 3.0, 2.5; the ratio of the medians would be 5/2 = 2.5 too,
    // but a ratio of totals (13/5 = 2.6) would not be what the rounds say.
    PairedRatio r = PairedRatio.of(List.of(1.0, 2.0, 2.0), List.of(2.0, 6.0, 5.0));
    assertThat(r.spread()).isEqualTo(new Spread(2.5, 2.0, 3.0, 3));
    assertThat(r.noise()).isFalse();
    assertThat(r.format()).isEqualTo("2.50x (2.00–3.00)");
  }

  @Test
  void aSpreadAcrossOneIsNoise() {
    PairedRatio r = PairedRatio.ofRatios(List.of(0.97, 1.04, 1.10));
    assertThat(r.noise()).isTrue();
    assertThat(r.format()).isEqualTo("1.04x (0.97–1.10) noise");
  }

  @Test
  void aSpreadTouchingOneAtAnEdgeIsNoise() {
    assertThat(PairedRatio.ofRatios(List.of(1.0, 1.2, 1.3)).noise()).isTrue();
    assertThat(PairedRatio.ofRatios(List.of(0.7, 0.8, 1.0)).noise()).isTrue();
    assertThat(PairedRatio.ofRatios(List.of(1.0000001, 1.2)).noise()).isFalse();
    assertThat(PairedRatio.ofRatios(List.of(0.8, 0.9999999)).noise()).isFalse();
  }

  @Test
  void aSpreadBelowOneIsAClearLoss() {
    PairedRatio r = PairedRatio.ofRatios(List.of(0.5, 0.6, 0.56, 0.7));
    assertThat(r.median()).isCloseTo(0.58, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.noise()).isFalse();
    assertThat(r.format()).isEqualTo("0.58x (0.50–0.70)");
  }

  @Test
  void oneRoundHasNoSpreadAndIsNoiseOnlyWhenEqual() {
    assertThat(PairedRatio.ofRatios(List.of(1.04)).format()).isEqualTo("1.04x");
    assertThat(PairedRatio.ofRatios(List.of(1.0)).format()).isEqualTo("1.00x noise");
  }

  @Test
  void roundsWithoutAFigureOnBothSidesAreLeftOut() {
    PairedRatio r = PairedRatio.of(List.of(0.0, 2.0, Double.NaN), List.of(5.0, 3.0, 1.0));
    assertThat(r.spread().n()).isEqualTo(1);
    assertThat(r.median()).isEqualTo(1.5);
    assertThat(PairedRatio.of(List.of(), List.of()).format()).isEqualTo("-");
  }
}
