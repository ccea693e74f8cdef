package dev.partisan.runtime;

/**
 * Behaviour of an actor. The runtime calls {@link #receive} with one message at a time, never
 * concurrently for the same actor, so an actor's fields need no locks: the actor owns them.
 */
@FunctionalInterface
public interface Actor {
  void receive(ActorContext ctx, Object message) throws Exception;

  /** Called once after the actor is stopped; the default does nothing. */
  default void stopped() {}
}
