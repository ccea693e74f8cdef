package dev.partisan.bench.rounds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void oddCountsTakeTheMiddleValue() {
    Spread s = Spread.of(List.of(9.0, 1.0, 5.0));
    assertThat(s).isEqualTo(new Spread(5.0, 1.0, 9.0, 3));
    assertThat(s.format("%.0f")).isEqualTo("5 (1–9)");
  }

  @Test
  void evenCountsAverageTheTwoMiddleValues() {
    assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 10.0)).median()).isEqualTo(3.0);
    assertThat(Spread.of(List.of(1.0, 2.0)).median()).isEqualTo(1.5);
  }

  @Test
  void oneRoundHasNoSpread() {
    Spread s = Spread.of(List.of(7.25));
    assertThat(s).isEqualTo(new Spread(7.25, 7.25, 7.25, 1));
    assertThat(s.format("%.1f")).isEqualTo("7.3"); // HALF_UP of 7.25
  }

  @Test
  void valuesThatAreNotFiniteAreLeftOut() {
    Spread s = Spread.of(List.of(Double.NaN, 3.0, Double.POSITIVE_INFINITY, 1.0));
    assertThat(s).isEqualTo(new Spread(2.0, 1.0, 3.0, 2));
    Spread none = Spread.of(List.of(Double.NaN));
    assertThat(none.n()).isZero();
    assertThat(none.format("%.0f")).isEqualTo("-");
  }

  @Test
  void roundsThatRoundToTheSameFigureShowOneValue() {
    assertThat(Spread.of(List.of(10.01, 10.02, 9.99)).format("%.0f")).isEqualTo("10");
  }
}
