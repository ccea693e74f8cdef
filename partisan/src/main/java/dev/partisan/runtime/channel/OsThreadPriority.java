package dev.partisan.runtime.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether Java thread priorities reach the operating system, found out once per JVM by looking at
 * what the OS made of them.
 *
 * <p>On Linux, HotSpot ignores {@link Thread#setPriority} unless the JVM runs with {@code
 * -XX:ThreadPriorityPolicy=1}; it then maps each Java priority to a nice value, and {@code
 * -XX:JavaPriority1_To_OSPriority=N} picks the nice value of {@link Thread#MIN_PRIORITY}, the
 * priority of {@link TrafficClass#BULK} threads. Raising a nice value needs no privilege, so this
 * works for any user. The project's launchers ({@code bin/partisan-kv}, {@code bin/bench}, the
 * container image) pass both flags; an embedder who does not gets bulk threads at the same priority
 * as request threads, which this class reports so the node can say so in its log.
 *
 * <p>Threading: the probe result is computed once, by whichever thread asks first, and is
 * immutable; {@link #niceOfCurrentThread()} has no state.
 */
public final class OsThreadPriority {
  private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");
  private static final AtomicReference<Probe> probe = new AtomicReference<>();

  private OsThreadPriority() {}

  /**
   * What the OS made of the two classes' priorities: the nice values of a thread started at each,
   * or empty where the OS does not show them (not Linux).
   */
  public record Probe(OptionalInt latencyNice, OptionalInt bulkNice) {
    /** True when bulk threads really run at a lower OS priority than latency threads. */
    public boolean bulkRunsLower() {
      return latencyNice.isPresent()
          && bulkNice.isPresent()
          && bulkNice.getAsInt() > latencyNice.getAsInt();
    }

    /** One line for the node's log. */
    public String describe() {
      if (bulkRunsLower()) {
        return String.format(
            Locale.ROOT,
            "bulk threads run at OS nice %d, latency threads at %d",
            bulkNice.getAsInt(),
            latencyNice.getAsInt());
      }
      if (latencyNice.isEmpty()) {
        return "the OS does not show thread priorities here: bulk threads may share the CPU"
            + " with request threads at equal priority";
      }
      return "Java thread priorities do not reach the OS (start the JVM with"
          + " -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=10): bulk threads"
          + " share the CPU with request threads at equal priority";
    }
  }

  /** The probe, made on first use by starting two short-lived threads. */
  public static Probe probe() {
    Probe p = probe.get();
    if (p == null) {
      p = new Probe(niceAt(TrafficClass.LATENCY), niceAt(TrafficClass.BULK));
      probe.compareAndSet(null, p);
    }
    return p;
  }

  /** The calling thread's nice value, read from {@code /proc}; empty where that is not Linux. */
  public static OptionalInt niceOfCurrentThread() {
    try {
      String stat = Files.readString(THREAD_STAT);
      // Fields after the command name, which is in parentheses and may hold spaces: the 3rd
      // field of the line (state) comes first, so the 19th (nice) is at index 16.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return OptionalInt.of(Integer.parseInt(fields[16]));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private static OptionalInt niceAt(TrafficClass cls) {
    OptionalInt[] result = {OptionalInt.empty()};
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name("partisan-priority-probe")
            .priority(cls.threadPriority())
            .unstarted(() -> result[0] = niceOfCurrentThread());
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result[0];
  }
}
