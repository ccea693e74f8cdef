package dev.partisan.runtime.actor;

import dev.partisan.runtime.ActorRef;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turns of an event-loop actor ({@code Dispatch.EVENT_LOOP}) that ran longer than its bound: a
 * handler that blocks holds up every connection on that event loop. Each is counted; a warning
 * naming the actor is logged at most once every 10 s, with how many were not logged since.
 *
 * <p>Threading: {@link #record} runs on the thread of the actor's turn, one turn at a time (the
 * cell's scheduled flag orders them), so the plain fields need no lock; the count is atomic because
 * anyone may read it.
 */
final class LongTurnWarnings {
  private static final Logger log = LoggerFactory.getLogger(LongTurnWarnings.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ActorRef actor;
  private final long boundNanos;
  private final AtomicLong count = new AtomicLong();
  private boolean warned; // owned by the turn's thread, as below
  private long lastWarningNanos;
  private long notLogged;

  LongTurnWarnings(ActorRef actor, long boundNanos) {
    this.actor = actor;
    this.boundNanos = boundNanos;
  }

  /** A turn on the event loop took {@code nanos}: counted and maybe logged if over the bound. */
  void record(long nanos) {
    if (nanos <= boundNanos) {
      return;
    }
    count.incrementAndGet();
    long now = System.nanoTime();
    if (warned && now - lastWarningNanos < WARN_EVERY_NANOS) {
      notLogged++;
      return;
    }
    log.warn(
        "actor {} ran a turn of {} us on event loop {} (bound {} us): an actor dispatched on the"
            + " event loop must never block, every connection on that loop waited ({} more such"
            + " turns since the last warning)",
        actor,
        TimeUnit.NANOSECONDS.toMicros(nanos),
        Thread.currentThread().getName(),
        TimeUnit.NANOSECONDS.toMicros(boundNanos),
        notLogged);
    warned = true;
    lastWarningNanos = now;
    notLogged = 0;
  }

  /** Turns over the bound so far. */
  long count() {
    return count.get();
  }
}
