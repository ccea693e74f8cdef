package dev.partisan.bench.handoff;

import dev.partisan.bench.rounds.Rounds;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --rounds}: how often every mode runs, in ABBA order ({@link Rounds}). Set by picocli while
 * parsing, then read (and changed by --quick) on the command's thread. The default is the command's
 * (the constructor's).
 */
public final class RoundsOptions {
  @Option(
      names = "--rounds",
      description =
          "Rounds; each runs every configuration, odd rounds in the given order and even rounds"
              + " reversed (ABBA), to cancel order effects; the summary shows each figure's median"
              + " and min–max over the rounds (default: ${DEFAULT-VALUE}; --quick: 1 unless given).")
  public int rounds;

  /** Two rounds, the default of the commands that had rounds first (handoff, adcounter). */
  public RoundsOptions() {
    this(2);
  }

  public RoundsOptions(int defaultRounds) {
    this.rounds = defaultRounds;
  }

  /** The command this is mixed into, to tell a given --rounds from the default. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** A --quick run: one round, unless --rounds was given. */
  public void quick() {
    CommandLine.ParseResult parsed =
        command == null ? null : command.commandLine().getParseResult();
    if (parsed == null || !parsed.hasMatchedOption("--rounds")) {
      rounds = 1;
    }
  }

  /** {@link #rounds}, refused below one. */
  public int rounds() {
    return Rounds.requireRounds(rounds);
  }

  /** The modes (or overlays) in the order round {@code round} (from 1) runs them. */
  public static <T> List<T> order(List<T> modes, int round) {
    return Rounds.order(modes, round);
  }
}
