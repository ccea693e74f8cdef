package dev.partisan.runtime.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The discrete-event loop: one queue of events ordered by (virtual time, sequence number), a
 * virtual clock, and the seeded random source every other random choice of a run is split from.
 * Events run one at a time, each to completion, on the thread that calls {@link #runUntil}; the
 * sequence number makes ties run in the order they were scheduled, so a run is a function of its
 * seed alone.
 *
 * <p>Threading: everything here is owned by the one thread that runs the simulation.
 */
public final class Simulation {
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final SplittableRandom random;
  private long now;
  private long sequence;
  private long executed;

  /** A scheduled action; {@code cancelled} lets a timer withdraw it without a queue search. */
  static final class Event implements Comparable<Event> {
    final long time;
    final long seq;
    final Runnable action;
    boolean cancelled;

    Event(long time, long seq, Runnable action) {
      this.time = time;
      this.seq = seq;
      this.action = action;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  public Simulation(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Virtual time in nanoseconds since the start of the run. */
  public long now() {
    return now;
  }

  /** Events run so far. */
  public long executed() {
    return executed;
  }

  /** Events waiting. */
  public int pending() {
    return queue.size();
  }

  /** The run's root random source; nodes and the network take their own by {@link #split}. */
  public SplittableRandom random() {
    return random;
  }

  /** An independent random source, split from the root in a deterministic order. */
  public SplittableRandom split() {
    return random.split();
  }

  /** Runs {@code action} at virtual time {@code atNanos} (never before now). */
  Event at(long atNanos, Runnable action) {
    Event e = new Event(Math.max(atNanos, now), sequence++, action);
    queue.add(e);
    return e;
  }

  /** Runs {@code action} after {@code delayNanos} of virtual time. */
  public void after(long delayNanos, Runnable action) {
    at(now + Math.max(0, delayNanos), action);
  }

  /**
   * Runs events in order until the next one is later than {@code untilNanos} or none is left; the
   * clock then reads {@code untilNanos}.
   */
  public void runUntil(long untilNanos) {
    while (!queue.isEmpty() && queue.peek().time <= untilNanos) {
      Event e = queue.poll();
      if (e.cancelled) {
        continue;
      }
      now = e.time;
      executed++;
      e.action.run();
    }
    now = Math.max(now, untilNanos);
  }

  /** Runs for {@code nanos} more of virtual time. */
  public void runFor(long nanos) {
    runUntil(now + nanos);
  }
}
