package dev.partisan.runtime.sim;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link ScheduledExecutorService} on virtual time: tasks become events of the {@link
 * Simulation}. One per simulated node; a node that has failed or stopped ({@code running} false)
 * runs none of its tasks any more, as a dead process's timers never fire. Blocking methods ({@code
 * invokeAll}, {@code awaitTermination}) are not supported: nothing may block the simulation's one
 * thread.
 *
 * <p>Threading: the simulation's thread only.
 */
public final class SimScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final Simulation sim;
  private final BooleanSupplier running;
  private boolean shutdown;

  public SimScheduler(Simulation sim, BooleanSupplier running) {
    this.sim = sim;
    this.running = running;
  }

  /** A task's handle: one event at a time is queued for it (the next run of a periodic task). */
  private final class Task implements ScheduledFuture<Object> {
    private final Callable<?> body;
    private final long periodNanos; // > 0 fixed rate, < 0 fixed delay, 0 once
    private long nextTime;
    private Simulation.Event event;
    private boolean cancelled;
    private boolean done;
    private Object result;
    private Throwable failure;

    Task(Callable<?> body, long firstTime, long periodNanos) {
      this.body = body;
      this.periodNanos = periodNanos;
      this.nextTime = firstTime;
      this.event = sim.at(firstTime, this::fire);
    }

    private void fire() {
      if (cancelled || done) {
        return;
      }
      if (shutdown || !running.getAsBoolean()) {
        done = true; // a stopped node's timers die with it
        return;
      }
      try {
        Object r = body.call();
        if (periodNanos == 0) {
          result = r;
          done = true;
          return;
        }
      } catch (Exception | Error e) {
        failure = e; // as a real executor: a periodic task that throws runs no more
        done = true;
        return;
      }
      nextTime = periodNanos > 0 ? nextTime + periodNanos : sim.now() - periodNanos;
      event = sim.at(nextTime, this::fire);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(nextTime - sim.now(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done || cancelled) {
        return false;
      }
      cancelled = true;
      event.cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() throws ExecutionException {
      if (!done) {
        throw new IllegalStateException("a simulated task's result is read only once it ran");
      }
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return result;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }

  private static Callable<Object> callable(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  private long at(long delay, TimeUnit unit) {
    return sim.now() + Math.max(0, unit.toNanos(delay));
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return new Task(callable(command), at(delay, unit), 0);
  }

  @Override
  @SuppressWarnings("unchecked") // the task returns what the callable returned
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return (ScheduledFuture<V>) new Task(callable, at(delay, unit), 0);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return new Task(callable(command), at(initialDelay, unit), positive(period, unit));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return new Task(callable(command), at(initialDelay, unit), -positive(delay, unit));
  }

  private static long positive(long period, TimeUnit unit) {
    long nanos = unit.toNanos(period);
    if (nanos <= 0) {
      throw new IllegalArgumentException("period must be > 0");
    }
    return nanos;
  }

  /** Runs {@code command} as the next event at the current virtual time. */
  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException("nothing blocks a simulation");
  }
}
