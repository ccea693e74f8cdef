package dev.partisan.runtime.actor;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendResult;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running actor: a bounded mailbox and the guarantee that its behaviour runs one message at a
 * time. Any thread may enqueue; an activation on the executor drains a batch and yields, so one
 * busy actor cannot monopolise a thread. Each queued item is released (its received frame, if it
 * holds one) exactly once: after the actor handled it, or when it is refused or discarded.
 */
public final class ActorCell {
  private static final Logger log = LoggerFactory.getLogger(ActorCell.class);
  private static final int BATCH = 64;

  private final ActorRef self;
  private final Actor behaviour;
  private final int capacity;
  private final Executor executor;
  private final BiConsumer<ActorCell, MailboxItem> invoker;
  private final Queue<MailboxItem> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Set<ActorRef> watchers = ConcurrentHashMap.newKeySet();

  public ActorCell(
      ActorRef self,
      Actor behaviour,
      int capacity,
      Executor executor,
      BiConsumer<ActorCell, MailboxItem> invoker) {
    this.self = self;
    this.behaviour = behaviour;
    this.capacity = capacity;
    this.executor = executor;
    this.invoker = invoker;
  }

  public ActorRef self() {
    return self;
  }

  public Actor behaviour() {
    return behaviour;
  }

  /** Messages queued and not yet taken; any thread (an atomic read). */
  public int depth() {
    return size.get();
  }

  /**
   * Queues a message for the actor. The cell owns the item from here: if it refuses it (stopped,
   * full), it releases it at once; else once the actor has handled it, or when the cell stops.
   */
  public SendResult enqueue(MailboxItem item) {
    if (stopped.get()) {
      item.release();
      return SendResult.NO_SUCH_ACTOR;
    }
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      item.release();
      return SendResult.MAILBOX_FULL;
    }
    mailbox.add(item);
    if (stopped.get()) {
      discardQueued(); // stopped since the check above: its drain may have missed this item
      return SendResult.OK;
    }
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::run);
    }
    return SendResult.OK;
  }

  private void run() {
    for (int i = 0; i < BATCH && !stopped.get(); i++) {
      MailboxItem item = mailbox.poll();
      if (item == null) {
        break;
      }
      size.decrementAndGet();
      try {
        invoker.accept(this, item);
      } catch (Throwable t) {
        // The actor keeps running: one bad message must not take down the service it provides.
        log.error("actor {} failed on {}", self, item.message().getClass().getSimpleName(), t);
      } finally {
        // Every delivered message passes here once its handler returned: the end of its turn.
        item.release();
      }
    }
    scheduled.set(false);
    if (!mailbox.isEmpty() && !stopped.get() && scheduled.compareAndSet(false, true)) {
      executor.execute(this::run);
    }
  }

  /** Marks the cell stopped; returns false if it already was. */
  public boolean stop() {
    if (!stopped.compareAndSet(false, true)) {
      return false;
    }
    discardQueued();
    size.set(0);
    return true;
  }

  /** Drops what is queued, releasing it; each item is taken by exactly one poll. */
  private void discardQueued() {
    MailboxItem item;
    while ((item = mailbox.poll()) != null) {
      item.release();
    }
  }

  public boolean isStopped() {
    return stopped.get();
  }

  public int queued() {
    return size.get();
  }

  public Set<ActorRef> watchers() {
    return watchers;
  }
}
