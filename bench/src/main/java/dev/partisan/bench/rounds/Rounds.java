package dev.partisan.bench.rounds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order in which repeated rounds run the configurations a bench compares: odd rounds in the
 * given order, even rounds reversed. Two configurations over four rounds run A B B A A B B A; three
 * over two rounds run A B C C B A. Each configuration then sits as often early as late, so a drift
 * of the machine (warm-up, a build starting next door) lands on all of them alike instead of on
 * whichever runs last. Pure functions.
 */
public final class Rounds {
  private Rounds() {}

  /** One run of the schedule: a configuration in a round (from 1). */
  public record Run<T>(int round, T config) {}

  /** The configurations in the order round {@code round} (from 1) runs them. */
  public static <T> List<T> order(List<T> configs, int round) {
    if (round < 1) {
      throw new IllegalArgumentException("rounds count from 1, not " + round);
    }
    List<T> order = new ArrayList<>(configs);
    if (round % 2 == 0) {
      Collections.reverse(order);
    }
    return order;
  }

  /** Every run of {@code rounds} rounds, in the order they run. */
  public static <T> List<Run<T>> schedule(List<T> configs, int rounds) {
    requireRounds(rounds);
    List<Run<T>> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (T config : order(configs, round)) {
        runs.add(new Run<>(round, config));
      }
    }
    return runs;
  }

  /**
   * The schedule as letters, configurations named A, B, C... in the given order, rounds separated
   * by a space: {@code "AB BA AB"}; for summaries and logs.
   */
  public static String letters(int configs, int rounds) {
    requireRounds(rounds);
    List<Character> names = new ArrayList<>();
    for (int i = 0; i < configs; i++) {
      names.add((char) ('A' + Math.min(i, 25)));
    }
    StringBuilder b = new StringBuilder();
    for (int round = 1; round <= rounds; round++) {
      if (round > 1) {
        b.append(' ');
      }
      order(names, round).forEach(b::append);
    }
    return b.toString();
  }

  /** Refuses a round count below one, with the option's name. */
  public static int requireRounds(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
    }
    return rounds;
  }
}
