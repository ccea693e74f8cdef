package dev.partisan.bench.kv;

import java.util.SplittableRandom;

/**
 * Picks key indexes in {@code [0, keys)} the way basho_bench's key generators do: {@code uniform},
 * or {@code pareto} (basho_bench's {@code pareto_int}: a Pareto distribution of shape 1.5 with mean
 * a fifth of the key space, folded into it, so a small set of keys is hot).
 *
 * <p>Not thread-safe: each load thread owns one, with its own seed.
 */
final class KeyChooser {
  private static final double PARETO_SHAPE = 1.5;

  private final String distribution;
  private final int keys;
  private final SplittableRandom random;

  KeyChooser(String distribution, int keys, long seed) {
    if (!distribution.equals("uniform") && !distribution.equals("pareto")) {
      throw new IllegalArgumentException("key distribution must be uniform or pareto");
    }
    this.distribution = distribution;
    this.keys = keys;
    this.random = new SplittableRandom(seed);
  }

  int next() {
    if (distribution.equals("uniform")) {
      return random.nextInt(keys);
    }
    double mean = keys * 0.2;
    double u = 1 - random.nextDouble(); // (0, 1]
    long k = (long) ((Math.pow(u, -1 / PARETO_SHAPE) - 1) * mean * (PARETO_SHAPE - 1));
    return (int) Math.floorMod(k, (long) keys);
  }

  double nextDouble() {
    return random.nextDouble();
  }
}
