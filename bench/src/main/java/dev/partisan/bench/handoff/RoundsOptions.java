package dev.partisan.bench.handoff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --rounds}: how often every mode runs, in ABBA order. Set by picocli while parsing, then
 * read (and changed by --quick) on the command's thread.
 */
public final class RoundsOptions {
  @Option(
      names = "--rounds",
      description =
          "Rounds; each runs every mode, odd rounds in the given order and even rounds reversed"
              + " (ABBA), to cancel order effects; the summary pools them and shows their spread"
              + " (default: 2).")
  public int rounds = 2;

  /** The modes (or overlays) in the order round {@code round} (from 1) runs them. */
  public static <T> List<T> order(List<T> modes, int round) {
    List<T> order = new ArrayList<>(modes);
    if (round % 2 == 0) {
      Collections.reverse(order);
    }
    return order;
  }
}
