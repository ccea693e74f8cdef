package dev.partisan.runtime.actor;

import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.Dispatch;
import dev.partisan.runtime.SendResult;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running actor: a bounded mailbox and the guarantee that its behaviour runs one message at a
 * time. Any thread may enqueue; an activation on the executor drains a batch and yields, so one
 * busy actor cannot monopolise a thread. Each queued item is released (its received frame, if it
 * holds one) exactly once: after the actor handled it, or when it is refused or discarded.
 *
 * <p>An actor dispatched on the event loop ({@link Dispatch#EVENT_LOOP}) drains on the thread that
 * received a message ({@link #enqueueReceived}) when that message finds it idle, timing each turn;
 * anything else, and what is left after one batch, drains on the executor as for any actor.
 */
public final class ActorCell {
  private static final Logger log = LoggerFactory.getLogger(ActorCell.class);

  /** Messages one activation handles before it yields its thread. */
  public static final int BATCH = 64;

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
  private final LongTurnWarnings longTurnLog; // null unless dispatched on the event loop
  private final long longTurnNanos;
  private final AtomicLong longTurns = new AtomicLong();
  private final Runnable activation = this::run; // one instance, not one per activation

  /** An actor whose turns all run on {@code executor}. */
  public ActorCell(
      ActorRef self,
      Actor behaviour,
      int capacity,
      Executor executor,
      BiConsumer<ActorCell, MailboxItem> invoker) {
    this(self, behaviour, capacity, executor, invoker, Dispatch.VIRTUAL_THREAD, 0, null);
  }

  /**
   * @param dispatch {@link Dispatch#EVENT_LOOP}: a received message that finds the actor idle is
   *     handled on the receiving thread
   * @param longTurnNanos with {@link Dispatch#EVENT_LOOP}, a turn on the receiving thread longer
   *     than this is counted and logged
   * @param longTurnLog the node's log of long turns (one rate limit for all its actors); null
   *     unless {@code dispatch} is {@link Dispatch#EVENT_LOOP}
   */
  ActorCell(
      ActorRef self,
      Actor behaviour,
      int capacity,
      Executor executor,
      BiConsumer<ActorCell, MailboxItem> invoker,
      Dispatch dispatch,
      long longTurnNanos,
      LongTurnWarnings longTurnLog) {
    this.self = self;
    this.behaviour = behaviour;
    this.capacity = capacity;
    this.executor = executor;
    this.invoker = invoker;
    if (dispatch == Dispatch.EVENT_LOOP && longTurnLog == null) {
      throw new IllegalArgumentException("an event-loop actor needs the node's long-turn log");
    }
    this.longTurnLog = dispatch == Dispatch.EVENT_LOOP ? longTurnLog : null;
    this.longTurnNanos = longTurnNanos;
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
    return enqueue(item, false);
  }

  /**
   * Queues a message received from the network, on the thread that received it (an event loop; the
   * timer for a message a fault delay held back). An actor dispatched on the event loop that is
   * idle handles it (and what else is queued, up to a batch) here and now; any other is scheduled
   * as by {@link #enqueue}.
   */
  public SendResult enqueueReceived(MailboxItem item) {
    return enqueue(item, longTurnLog != null);
  }

  private SendResult enqueue(MailboxItem item, boolean drainHere) {
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
      if (drainHere) {
        drain(true);
      } else {
        executor.execute(activation);
      }
    }
    return SendResult.OK;
  }

  private void run() {
    drain(false);
  }

  /**
   * One activation: up to a batch of messages, then the scheduled flag is given back (or the rest
   * goes to the executor). Runs on the executor, or on the receiving thread when {@code timed}.
   */
  private void drain(boolean timed) {
    for (int i = 0; i < BATCH && !stopped.get(); i++) {
      MailboxItem item = mailbox.poll();
      if (item == null) {
        break;
      }
      size.decrementAndGet();
      long start = timed ? System.nanoTime() : 0;
      try {
        invoker.accept(this, item);
      } catch (Throwable t) {
        // The actor keeps running: one bad message must not take down the service it provides.
        log.error("actor {} failed on {}", self, item.message().getClass().getSimpleName(), t);
      } finally {
        // Every delivered message passes here once its handler returned: the end of its turn.
        item.release();
      }
      if (timed) {
        long took = System.nanoTime() - start;
        if (took > longTurnNanos) {
          longTurns.incrementAndGet();
          longTurnLog.record(self, took, longTurnNanos);
        }
      }
    }
    scheduled.set(false);
    if (!mailbox.isEmpty() && !stopped.get() && scheduled.compareAndSet(false, true)) {
      executor.execute(activation);
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

  /** Turns on an event loop that ran over the actor's bound (0 unless dispatched there). */
  public long longTurns() {
    return longTurns.get();
  }
}
