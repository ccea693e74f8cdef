package dev.partisan.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How an actor is spawned ({@link PartisanRuntime#spawn(String, Actor, ActorOptions)}).
 *
 * @param mailboxCapacity the mailbox's bound in messages; 0 means the node's default ({@code
 *     RuntimeConfig.Builder.mailboxCapacity})
 * @param dispatch where the actor's turns run; see {@link Dispatch#EVENT_LOOP} for what it asks of
 *     the handler
 * @param longTurnWarning with {@link Dispatch#EVENT_LOOP}, a turn on an event loop longer than this
 *     is logged as a warning (rate-limited per actor): the sign of a handler that blocks
 */
public record ActorOptions(int mailboxCapacity, Dispatch dispatch, Duration longTurnWarning) {
  /** An echo turn takes microseconds; 5 ms is a blocked handler, or a pause of the whole JVM. */
  public static final Duration DEFAULT_LONG_TURN_WARNING = Duration.ofMillis(5);

  private static final ActorOptions DEFAULTS =
      new ActorOptions(0, Dispatch.VIRTUAL_THREAD, DEFAULT_LONG_TURN_WARNING);

  public ActorOptions {
    if (mailboxCapacity < 0) {
      throw new IllegalArgumentException("mailboxCapacity must be >= 0: " + mailboxCapacity);
    }
    Objects.requireNonNull(dispatch, "dispatch");
    if (longTurnWarning.isNegative() || longTurnWarning.isZero()) {
      throw new IllegalArgumentException("longTurnWarning must be positive: " + longTurnWarning);
    }
  }

  /** The node's mailbox bound, turns on the actor executor. */
  public static ActorOptions defaults() {
    return DEFAULTS;
  }

  public ActorOptions withMailboxCapacity(int capacity) {
    return new ActorOptions(capacity, dispatch, longTurnWarning);
  }

  public ActorOptions withDispatch(Dispatch d) {
    return new ActorOptions(mailboxCapacity, d, longTurnWarning);
  }

  public ActorOptions withLongTurnWarning(Duration bound) {
    return new ActorOptions(mailboxCapacity, dispatch, bound);
  }
}
