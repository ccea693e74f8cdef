package dev.partisan.runtime.transport;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop's wait that polls for a while before it blocks. A request-reply exchange leaves the
 * loop idle for a few microseconds between a write and the answer; blocking in {@code epoll_wait}
 * there costs a sleep and a wake-up per message (and, on a virtual machine whose vCPU halts when
 * idle, the vCPU's resume), and every thread that hands the loop work must write its wake-up
 * descriptor. Spinning a bounded time first keeps the loop awake across that gap, as Erlang's
 * schedulers do before they sleep; it costs a core's time while it spins, so it is opt-in ({@link
 * NettyTransports#SPIN_PROPERTY}) and only for latency-class loops.
 *
 * <p>Each poll is a non-blocking select ({@code epoll_wait} with no timeout). Any ready event or
 * queued task ends the idle period; after {@code spinNanos} of idleness the loop blocks as usual.
 *
 * <p>Not thread-safe: one instance per event loop, used only by its thread.
 */
final class SpinThenBlock implements SelectStrategy {
  private static final long NOT_IDLE = Long.MIN_VALUE;

  private final long spinNanos;
  private final LongSupplier clock;
  private long idleSince = NOT_IDLE;

  SpinThenBlock(long spinNanos, LongSupplier clock) {
    if (spinNanos <= 0) {
      throw new IllegalArgumentException("spin time must be positive: " + spinNanos);
    }
    this.spinNanos = spinNanos;
    this.clock = clock;
  }

  /** Netty's default (block when there is nothing to do) for 0, else a spinning strategy. */
  static SelectStrategyFactory factory(long spinNanos) {
    return spinNanos <= 0
        ? DefaultSelectStrategyFactory.INSTANCE
        : () -> new SpinThenBlock(spinNanos, System::nanoTime);
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    if (ready > 0 || hasTasks) {
      idleSince = NOT_IDLE;
      return ready; // handle what is ready, run the tasks, come back
    }
    long now = clock.getAsLong();
    if (idleSince == NOT_IDLE) {
      idleSince = now;
    }
    if (now - idleSince < spinNanos) {
      Thread.onSpinWait();
      return SelectStrategy.CONTINUE; // the loop runs any due task and asks again
    }
    idleSince = NOT_IDLE;
    return SelectStrategy.SELECT;
  }
}
