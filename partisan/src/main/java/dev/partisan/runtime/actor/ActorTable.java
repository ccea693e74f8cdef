package dev.partisan.runtime.actor;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.Down;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors living on this node, by name: spawning, stopping (watchers are told), and the
 * snapshots operators read.
 *
 * <p>Threading: a concurrent map. Callers and actors spawn and stop; event loops and senders look
 * actors up. Each actor's own state belongs to its {@link ActorCell}.
 */
public final class ActorTable {
  private static final Logger log = LoggerFactory.getLogger(ActorTable.class);

  private final Map<String, ActorCell> actors = new ConcurrentHashMap<>();
  private final NodeId self;
  private final BiConsumer<ActorCell, MailboxItem> invoker;
  private final Messenger messenger;
  private final LongTurnWarnings longTurnLog = new LongTurnWarnings();

  /**
   * @param invoker runs an actor's behaviour on one message (builds its context)
   * @param messenger tells watchers that an actor stopped
   */
  public ActorTable(NodeId self, BiConsumer<ActorCell, MailboxItem> invoker, Messenger messenger) {
    this.self = self;
    this.invoker = invoker;
    this.messenger = messenger;
  }

  public ActorRef spawn(String name, Actor actor, int mailboxCapacity, Executor executor) {
    return spawn(name, actor, mailboxCapacity, executor, Dispatch.VIRTUAL_THREAD, 0);
  }

  /**
   * @param dispatch where the actor's turns run (see {@link Dispatch})
   * @param longTurnNanos with {@link Dispatch#EVENT_LOOP}: turns longer than this are logged
   */
  public ActorRef spawn(
      String name,
      Actor actor,
      int mailboxCapacity,
      Executor executor,
      Dispatch dispatch,
      long longTurnNanos) {
    ActorRef ref = ActorRef.of(self, name);
    ActorCell cell =
        new ActorCell(
            ref,
            actor,
            mailboxCapacity,
            executor,
            invoker,
            dispatch,
            longTurnNanos,
            dispatch == Dispatch.EVENT_LOOP ? longTurnLog : null);
    if (actors.putIfAbsent(name, cell) != null) {
      throw new IllegalStateException("an actor named '" + name + "' already exists on " + self);
    }
    return ref;
  }

  /** Stops a local actor and tells its watchers; false if it was not running. */
  public boolean stop(ActorRef ref) {
    if (!ref.node().equals(self.name())) {
      throw new IllegalArgumentException("can only stop local actors: " + ref);
    }
    ActorCell cell = actors.remove(ref.name());
    if (cell == null || !cell.stop()) {
      return false;
    }
    try {
      cell.behaviour().stopped();
    } catch (RuntimeException e) {
      log.warn("actor {} failed while stopping", ref, e);
    }
    for (ActorRef watcher : cell.watchers()) {
      messenger.tell(watcher, new Down(cell.self(), "stopped"), SendOptions.DEFAULT);
    }
    return true;
  }

  /** The running actor of that name, or null. */
  public ActorCell get(String name) {
    return actors.get(name);
  }

  public boolean has(String name) {
    return actors.containsKey(name);
  }

  /** How many watchers a local actor has (0 if there is no such actor). */
  public int watchersOf(String name) {
    ActorCell cell = actors.get(name);
    return cell == null ? 0 : cell.watchers().size();
  }

  /** Messages waiting in a local actor's mailbox (-1 if there is no such actor): a snapshot. */
  public int mailboxDepth(String name) {
    ActorCell cell = actors.get(name);
    return cell == null ? -1 : cell.depth();
  }

  /** The node is closing: every actor stops at once, without stopped() or watcher notices. */
  public void stopAll() {
    for (ActorCell cell : actors.values()) {
      cell.stop();
    }
    actors.clear();
  }
}
