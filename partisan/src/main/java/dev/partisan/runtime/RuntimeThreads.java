package dev.partisan.runtime;

import dev.partisan.runtime.actor.ReusableVirtualThreads;
import dev.partisan.runtime.channel.TrafficClass;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a node runs on: the timer, the actors' executor, the Netty event loops and, when some
 * channel is bulk, the bulk channels' event loops. Each is either given (shared by several
 * in-process nodes) or made here; only what was made here is shut down on close. Thread names say
 * which group a thread belongs to: {@code netty-NODE-..} and {@code netty-bulk-NODE-..}; bulk event
 * loops made here run at {@link TrafficClass#BULK}'s lower priority.
 *
 * <p>Threading: immutable after construction; the close methods are called once, by the closer.
 */
final class RuntimeThreads {
  /**
   * Idle actor threads a node keeps: enough for every echo actor of 128 senders to find one, each a
   * parked virtual thread (a few hundred bytes of stack).
   */
  static final int MAX_IDLE_ACTOR_THREADS = 256;

  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Executor executor;
  private final ReusableVirtualThreads ownedExecutor;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final EventLoopGroup bulkGroup; // null: no bulk channel, or baseline mode
  private final boolean ownsBulkGroup;
  private final NettyTransports.Kind kind; // the sockets of the (latency) event loops

  /**
   * @param settings where each part runs: a shared timer, actor executor or event loop groups, or
   *     the sizes of those made here (null executor: reused virtual threads, see {@link
   *     ReusableVirtualThreads})
   * @param bulk whether the node needs bulk event loops: some channel is bulk and the node is not
   *     in baseline mode
   */
  RuntimeThreads(String nodeName, ExecutorSettings settings, boolean bulk) {
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "partisan-timer-" + nodeName);
              t.setDaemon(true);
              return t;
            });
    // Cancelled ask timeouts leave the queue at once instead of waiting for their deadline.
    timers.setRemoveOnCancelPolicy(true);
    this.ownsScheduler = settings.sharedScheduler() == null;
    if (ownsScheduler) {
      this.scheduler = timers;
    } else {
      timers.shutdown();
      this.scheduler = settings.sharedScheduler();
    }
    if (settings.actorExecutor() != null) {
      this.executor = settings.actorExecutor();
      this.ownedExecutor = null;
    } else {
      // Virtual threads that wait for the next activation instead of one new thread each; one
      // name for all of a node's actor threads (thread ids tell them apart).
      this.ownedExecutor = new ReusableVirtualThreads("actor-" + nodeName, MAX_IDLE_ACTOR_THREADS);
      this.executor = ownedExecutor;
    }
    this.ownsGroup = settings.sharedEventLoopGroup() == null;
    // A shared group brings its kind: channels must match the loops they register with.
    this.kind =
        ownsGroup
            ? NettyTransports.select(settings.transport())
            : NettyTransports.of(settings.sharedEventLoopGroup());
    this.group =
        ownsGroup
            ? kind.newGroup(
                settings.eventLoopThreads(),
                "netty-" + nodeName,
                TrafficClass.LATENCY,
                settings.eventLoopSpinMicros() * 1_000)
            : settings.sharedEventLoopGroup();
    this.ownsBulkGroup = bulk && settings.sharedBulkEventLoopGroup() == null;
    if (!bulk) {
      this.bulkGroup = null;
    } else if (ownsBulkGroup) {
      this.bulkGroup =
          kind.newGroup(
              settings.bulkEventLoopThreads(), "netty-bulk-" + nodeName, TrafficClass.BULK);
    } else {
      this.bulkGroup = settings.sharedBulkEventLoopGroup();
    }
  }

  /** The sockets the node's channels use: those of its event loops. */
  NettyTransports.Kind transportKind() {
    return kind;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Executor actorExecutor() {
    return executor;
  }

  EventLoopGroup eventLoopGroup() {
    return group;
  }

  /** The bulk channels' event loops, or null when the node has none. */
  EventLoopGroup bulkEventLoopGroup() {
    return bulkGroup;
  }

  /** Stops the timer if it was made here (pending timeouts never fire). */
  void closeScheduler() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** Stops the actors' executor and the event loops if they were made here. */
  void closeExecutors() {
    if (ownedExecutor != null) {
      ownedExecutor.close();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (ownsBulkGroup) {
      bulkGroup
          .shutdownGracefully(0, 1, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
