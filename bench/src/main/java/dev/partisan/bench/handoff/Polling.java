package dev.partisan.bench.handoff;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits of a run on the cluster, polled from the command's thread. */
public final class Polling {
  private Polling() {}

  public static void waitFor(String what, double seconds, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50); // polling in a CLI tool, bounded above
    }
  }

  /**
   * Waits at most {@code seconds} for {@code done}, printing every 10 s how far {@code what} is
   * (with {@code progress}'s words); false if it timed out.
   */
  static boolean waitQuietly(
      double seconds, BooleanSupplier done, String mode, String what, Supplier<String> progress)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long nextReport = start + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now > deadline) {
        return false;
      }
      if (now > nextReport) {
        String p = progress.get();
        System.out.printf(
            Locale.ROOT,
            "[%s]   ... %.0f s into %s%s%n",
            mode,
            (now - start) / 1e9,
            what,
            p.isEmpty() ? "" : ": " + p);
        nextReport = now + 10_000_000_000L;
      }
      Thread.sleep(100); // polling in a CLI tool, bounded above
    }
    return true;
  }
}
