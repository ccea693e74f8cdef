package dev.partisan.bench.rounds;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One figure over repeated rounds: the median and the smallest and largest round. The median, not
 * the mean, because one disturbed round (a GC, a build next door) moves a mean but not a median;
 * the min–max shows how far the rounds disagree. Values that are not finite (a cell that measured
 * nothing) are left out. Immutable.
 *
 * @param n how many rounds gave a finite value (0: none; then the figures are NaN)
 */
public record Spread(double median, double min, double max, int n) {

  /** The spread of the finite values among {@code values}. */
  public static Spread of(Collection<Double> values) {
    List<Double> sorted = values.stream().filter(Double::isFinite).sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /**
   * {@code median (min–max)} with {@code format} (e.g. {@code "%.0f"}) for each; just the median
   * when every round gave the same (or there was one round); {@code "-"} when none gave a value.
   */
  public String format(String format) {
    if (n == 0) {
      return "-";
    }
    String m = String.format(Locale.ROOT, format, median);
    String lo = String.format(Locale.ROOT, format, min);
    String hi = String.format(Locale.ROOT, format, max);
    return lo.equals(hi) ? m : m + " (" + lo + "–" + hi + ")";
  }
}
