package dev.partisan.runtime;

/** What an actor knows while it handles one message. Valid only during that call. */
public interface ActorContext {
  ActorRef self();

  /** The sending actor, or null when the message was sent without a sender. */
  ActorRef sender();

  /** The channel the message arrived on. */
  String channel();

  PartisanRuntime runtime();

  /** Sends to the sender on the channel the message came on. Null sender: returns NO_SUCH_ACTOR. */
  SendResult reply(Object message);
}
