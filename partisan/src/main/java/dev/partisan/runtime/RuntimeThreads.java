package dev.partisan.runtime;

import dev.partisan.runtime.transport.NettyTransports;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a node runs on: the timer, the actors' executor and the Netty event loops. Each is
 * either given (shared by several in-process nodes) or made here; only what was made here is shut
 * down on close.
 *
 * <p>Threading: immutable after construction; the close methods are called once, by the closer.
 */
final class RuntimeThreads {
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final EventLoopGroup group;
  private final boolean ownsGroup;

  /**
   * @param sharedScheduler a timer to use, or null to make one
   * @param actorExecutor where actors run, or null for a virtual thread per activation
   * @param sharedEventLoopGroup event loops to use, or null to make {@code eventLoopThreads}
   */
  RuntimeThreads(
      String nodeName,
      ScheduledExecutorService sharedScheduler,
      Executor actorExecutor,
      EventLoopGroup sharedEventLoopGroup,
      int eventLoopThreads) {
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
    this.ownsScheduler = sharedScheduler == null;
    if (ownsScheduler) {
      this.scheduler = timers;
    } else {
      timers.shutdown();
      this.scheduler = sharedScheduler;
    }
    if (actorExecutor != null) {
      this.executor = actorExecutor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          Executors.newThreadPerTaskExecutor(
              Thread.ofVirtual().name("actor-" + nodeName + "-", 0).factory());
      this.executor = ownedExecutor;
    }
    this.ownsGroup = sharedEventLoopGroup == null;
    this.group =
        ownsGroup
            ? NettyTransports.newGroup(eventLoopThreads, "netty-" + nodeName)
            : sharedEventLoopGroup;
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

  /** Stops the timer if it was made here (pending timeouts never fire). */
  void closeScheduler() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** Stops the actors' executor and the event loops if they were made here. */
  void closeExecutors() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
