package dev.partisan.bench.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
  @Test
  void twoConfigurationsRunAbba() {
    List<String> order =
        Rounds.schedule(List.of("A", "B"), 4).stream().map(Rounds.Run::config).toList();
    assertThat(order).containsExactly("A", "B", "B", "A", "A", "B", "B", "A");
    assertThat(Rounds.letters(2, 3)).isEqualTo("AB BA AB");
  }

  @Test
  void threeConfigurationsMirrorEachOtherRoundByRound() {
    assertThat(Rounds.schedule(List.of("A", "B", "C"), 2))
        .containsExactly(
            new Rounds.Run<>(1, "A"),
            new Rounds.Run<>(1, "B"),
            new Rounds.Run<>(1, "C"),
            new Rounds.Run<>(2, "C"),
            new Rounds.Run<>(2, "B"),
            new Rounds.Run<>(2, "A"));
  }

  @Test
  void eachConfigurationSitsAsOftenEarlyAsLateOverAnEvenNumberOfRounds() {
    List<String> configs = List.of("A", "B", "C", "D");
    for (String c : configs) {
      int positions = 0;
      for (int round = 1; round <= 4; round++) {
        positions += Rounds.order(configs, round).indexOf(c);
      }
      assertThat(positions).as(c).isEqualTo(2 * (configs.size() - 1));
    }
  }

  @Test
  void oneRoundIsTheGivenOrderAndNoRoundsIsRefused() {
    assertThat(Rounds.schedule(List.of("A", "B"), 1).stream().map(Rounds.Run::config))
        .containsExactly("A", "B");
    assertThatThrownBy(() -> Rounds.schedule(List.of("A"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rounds");
    assertThatThrownBy(() -> Rounds.order(List.of("A"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
