package dev.partisan.runtime.actor;

import dev.partisan.runtime.ActorRef;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's log of turns that event-loop actors ({@code Dispatch.EVENT_LOOP}) ran longer than
 * their bound: a handler that blocks holds up every connection on that event loop. A warning naming
 * the actor is logged at most once every 10 s for the whole node (an overloaded machine can make
 * every actor's turns long at once), with how many long turns were not logged since.
 *
 * <p>Threading: any actor's turn, on any event loop, may call {@link #record}; the last warning's
 * time is claimed with a compare-and-set, the rest is atomic counters.
 */
final class LongTurnWarnings {
  private static final Logger log = LoggerFactory.getLogger(LongTurnWarnings.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicLong nextWarningNanos = new AtomicLong(System.nanoTime());
  private final AtomicLong notLogged = new AtomicLong();

  /** {@code actor}'s turn on the event loop took {@code nanos}, over its bound. */
  void record(ActorRef actor, long nanos, long boundNanos) {
    long now = System.nanoTime();
    long next = nextWarningNanos.get();
    if (now - next < 0 || !nextWarningNanos.compareAndSet(next, now + WARN_EVERY_NANOS)) {
      notLogged.incrementAndGet();
      return;
    }
    log.warn(
        "actor {} ran a turn of {} us on event loop {} (bound {} us): an actor dispatched on the"
            + " event loop must never block, every connection on that loop waited ({} other long"
            + " turns on this node not logged since the last warning)",
        actor,
        TimeUnit.NANOSECONDS.toMicros(nanos),
        Thread.currentThread().getName(),
        TimeUnit.NANOSECONDS.toMicros(boundNanos),
        notLogged.getAndSet(0));
  }
}
