package dev.partisan.bench.rounds;

import java.util.ArrayList;
import java.util.List;

/**
 * A ratio between two configurations measured in the same rounds (B / A): each round's ratio on its
 * own (round i of B over round i of A, which ran in the same round of the ABBA order), then their
 * median and min–max. When the rounds' ratios reach 1.0 from both sides (min ≤ 1 ≤ max) the rounds
 * disagree on which configuration is better, and the ratio is <em>noise</em>: the machine moved
 * more than the configurations differ. A spread that touches 1.0 at an edge counts as noise too (a
 * round in which the two were equal shows no difference). One round has no spread, so it is noise
 * only if the ratio is exactly 1. Immutable.
 */
public record PairedRatio(Spread spread) {

  /**
   * {@code b.get(i) / a.get(i)} for each round both measured; rounds where either figure is not
   * finite or the ratio is not (a zero denominator) are left out.
   */
  public static PairedRatio of(List<Double> a, List<Double> b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      ratios.add(b.get(i) / a.get(i));
    }
    return ofRatios(ratios);
  }

  /** From each round's ratio, already divided. */
  public static PairedRatio ofRatios(List<Double> ratios) {
    return new PairedRatio(Spread.of(ratios));
  }

  /** The median of the rounds' ratios (NaN without any). */
  public double median() {
    return spread.median();
  }

  /** Whether the rounds' ratios reach 1.0 from both sides, edges included. */
  public boolean noise() {
    return spread.n() > 0 && spread.min() <= 1.0 && spread.max() >= 1.0;
  }

  /** {@code "1.04x (0.97–1.10) noise"}, {@code "2.31x (2.10–2.52)"}, {@code "-"} without rounds. */
  public String format() {
    if (spread.n() == 0) {
      return "-";
    }
    String s = spread.format("%.2f");
    int bracket = s.indexOf(' ');
    String text = bracket < 0 ? s + "x" : s.substring(0, bracket) + "x" + s.substring(bracket);
    return noise() ? text + " noise" : text;
  }
}
