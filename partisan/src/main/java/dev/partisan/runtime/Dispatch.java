package dev.partisan.runtime;

/**
 * Where an actor's turns run: chosen per actor at spawn ({@link ActorOptions#withDispatch}), the
 * way Netty lets a handler pick its executor or Pekko an actor its dispatcher.
 */
public enum Dispatch {
  /**
   * The default: every turn runs on the node's actor executor (virtual threads unless the node was
   * given another). A handler may block: it holds its own thread only.
   */
  VIRTUAL_THREAD,

  /**
   * For actors whose handler <b>never blocks</b>: a message from the network that finds the actor
   * idle is handled at once on the event loop that read it, with no hand-off to another thread (two
   * of a remote request-reply's four hand-offs fewer). The handler must never block: no blocking
   * I/O, no waiting on a future, a lock or a sleep, no long computation. Every connection served by
   * that event loop waits while a turn runs. A turn longer than {@link
   * ActorOptions#longTurnWarning()} is logged as a warning naming the actor (at most one per actor
   * every 10 s).
   *
   * <p>Messages sent on this node, messages that arrive while the actor is busy, and more than
   * {@value dev.partisan.runtime.actor.ActorCell#BATCH} messages in a row are handled on the actor
   * executor as with {@link #VIRTUAL_THREAD} (so a flood cannot hold an event loop). Either way
   * there is one mailbox and one turn at a time: the order of each sender's messages is kept.
   * Messages a fault-injection delay held back reach the actor on the node's timer thread instead.
   */
  EVENT_LOOP
}
