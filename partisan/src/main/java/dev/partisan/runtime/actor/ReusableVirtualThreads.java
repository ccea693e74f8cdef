package dev.partisan.runtime.actor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors' default executor: each task runs on a virtual thread, as with a thread per task, but
 * a thread whose task ended parks and waits for the next one instead of ending. An idle actor that
 * gets a message (an activation) then costs a hand-over to a parked thread (its unpark) instead of
 * the creation and start of a new virtual thread (a {@code VirtualThread} and its continuation,
 * registration in the executor's and the JDK's thread sets, removal when it ends): the largest
 * single CPU share of a round trip in the echo profile. A task that blocks holds its thread only:
 * with no idle thread the next task gets a new one, so blocking handlers behave as before.
 *
 * <p>At most {@code maxIdle} threads wait; one that finishes a task when that many already wait
 * ends. Idle threads are taken most recently parked first (their stacks are warm). A task's
 * interrupt status is cleared before the thread's next task. {@link #close()} is {@code
 * shutdownNow}: idle threads end, busy ones are interrupted, and later tasks are refused.
 *
 * <p>Threading: any thread may call {@link #execute}; a worker's {@code next} slot is written by
 * the one thread that took the worker off the idle deque (the deque hands each idle worker to
 * exactly one taker) and read by the worker.
 */
public final class ReusableVirtualThreads implements Executor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReusableVirtualThreads.class);

  /** Handed to an idle worker on close: end instead of running something. */
  private static final Runnable STOP = () -> {};

  private final Thread.Builder.OfVirtual threads;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param name every thread's name (one name for all: a numbered name would be built per thread)
   * @param maxIdle how many threads may wait for work at once
   */
  public ReusableVirtualThreads(String name, int maxIdle) {
    if (maxIdle < 1) {
      throw new IllegalArgumentException("maxIdle must be at least 1: " + maxIdle);
    }
    this.threads = Thread.ofVirtual().name(name);
    this.maxIdle = maxIdle;
  }

  @Override
  public void execute(Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    Worker w = idle.pollFirst();
    if (w != null) {
      idleCount.decrementAndGet();
      w.hand(task);
      return;
    }
    Worker fresh = new Worker(task);
    workers.add(fresh);
    fresh.thread = threads.unstarted(fresh);
    fresh.thread.start();
  }

  /** Threads parked and waiting for a task (a snapshot, for tests and metrics). */
  public int idleThreads() {
    return idleCount.get();
  }

  /** Threads alive, idle or busy (a snapshot). */
  public int threads() {
    return workers.size();
  }

  @Override
  public void close() {
    closed = true;
    Worker w;
    while ((w = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      w.hand(STOP);
    }
    for (Worker busy : workers) {
      Thread t = busy.thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  /** One virtual thread: runs its first task, then whatever it is handed while idle. */
  private final class Worker implements Runnable {
    // The task to run: the first one, set by the maker before start, then each written by the
    // taker that popped this worker off the idle deque, and cleared by the worker when it takes
    // it (an idle worker holds no task, so no stopped actor's cell stays reachable through it).
    private volatile Runnable next;
    volatile Thread thread; // set before start, by the thread that made the worker

    Worker(Runnable first) {
      this.next = first;
    }

    void hand(Runnable task) {
      next = task;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      try {
        Runnable task = next;
        next = null;
        while (task != null && task != STOP) {
          runOne(task);
          task = null; // not reachable from this frame while the thread waits
          task = awaitNext();
        }
      } finally {
        workers.remove(this);
      }
    }

    private void runOne(Runnable task) {
      try {
        task.run();
      } catch (Throwable t) {
        // The tasks are actors' drains, which catch their handlers' failures: this is a bug.
        log.error("actor drain failed", t);
      }
      Thread.interrupted(); // one task's interrupt must not reach the next
    }

    /** Parks until handed a task; null when the thread should end instead. */
    private Runnable awaitNext() {
      if (closed) {
        return null;
      }
      if (idleCount.incrementAndGet() > maxIdle) {
        idleCount.decrementAndGet(); // enough threads wait already: this one ends
        return null;
      }
      idle.offerFirst(this);
      if (closed && idle.remove(this)) {
        idleCount.decrementAndGet(); // closed while offering: close() may have missed this worker
        return null;
      }
      Runnable task;
      while ((task = next) == null) {
        LockSupport.park(this);
        Thread.interrupted(); // an idle thread has nothing to interrupt; park must not spin
      }
      next = null;
      return task;
    }
  }
}
