package dev.partisan.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * What an actor knows and may do while it handles one message. Valid only during that call (except
 * {@link #schedule}, whose message arrives later through the mailbox).
 */
public interface ActorContext {
  ActorRef self();

  /** The sending actor, or null when the message was sent without a sender. */
  ActorRef sender();

  /** The channel the message arrived on. */
  String channel();

  /**
   * Sends to the sender on the channel the message came on, naming this actor as the sender. Null
   * sender: returns NO_SUCH_ACTOR. One definition for every context (runtime, simulation, replayed
   * messages): they differ only in {@link #tell(ActorRef, Object, SendOptions)}.
   */
  default SendResult reply(Object message) {
    ActorRef to = sender();
    if (to == null) {
      return SendResult.NO_SUCH_ACTOR;
    }
    return tell(to, message, new SendOptions(channel(), null, self()));
  }

  /** Sends on the default channel without naming a sender, as {@link PartisanRuntime#tell}. */
  SendResult tell(ActorRef to, Object message);

  /** Sends with explicit options (channel, partition key, sender). */
  SendResult tell(ActorRef to, Object message, SendOptions options);

  /** Request-response: completes with the reply, or fails on timeout or refusal. */
  CompletableFuture<Object> ask(ActorRef to, Object message, Duration timeout, SendOptions options);

  /**
   * Delivers {@code message} to this actor's own mailbox after {@code delay} (a timer). Cancel the
   * returned future to withdraw it.
   */
  ScheduledFuture<?> schedule(Object message, Duration delay);

  /** Stops this actor: no message after the current one is handled. True if it was running. */
  boolean stop();
}
