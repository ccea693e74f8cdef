package dev.partisan.kv.vnode;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendResult;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's bounded pool of platform threads for the vnodes' bulk work (riak_core's vnode worker
 * pool): applying a received handoff batch, and reading a chunk of a hash-tree build, run here, not
 * in the vnode's mailbox turn, so the vnode keeps serving requests meanwhile. Platform threads,
 * because the work sits in RocksDB's native code, which would pin the carrier of a virtual thread.
 *
 * <p>A task never touches the vnode's state: it computes a result message, which the pool delivers
 * to the vnode's mailbox (retrying on a full mailbox, since the vnode waits for it). At most one
 * batch and one tree chunk per vnode are in flight (each starts the next only once the last came
 * back), so the queue is bounded by twice the number of vnodes, plus one turn per handoff sender
 * (those actors run here too; at most the handoff concurrency of them).
 *
 * <p>Threading: immutable after construction; any thread may submit.
 */
final class BulkPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BulkPool.class);

  private final ExecutorService executor;

  /** A pool on {@code executor} (fixed platform threads, see {@link VnodeExecutors}). */
  BulkPool(ExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Runs {@code work} on the pool and tells its result to {@code vnode}. The work must not throw
   * (it reports failures in its result). False when the pool is closed (nothing was run).
   */
  boolean submit(PartisanRuntime runtime, ActorRef vnode, Supplier<Object> work) {
    if (executor.isShutdown()) {
      return false;
    }
    executor.execute(() -> deliver(runtime, vnode, work.get()));
    return true;
  }

  /** The pool's executor, for actors whose turns are bulk work (see VnodeExecutors). */
  ExecutorService executor() {
    return executor;
  }

  private static void deliver(PartisanRuntime runtime, ActorRef vnode, Object result) {
    SendResult r = runtime.tell(vnode, result);
    if (r == SendResult.MAILBOX_FULL) {
      // The vnode holds requests back until it has this result: it must arrive, a little later.
      try {
        runtime
            .scheduler()
            .schedule(() -> deliver(runtime, vnode, result), 1, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("bulk result for {} dropped: the node is closing", vnode);
      }
    } else if (!r.accepted()) {
      log.debug("bulk result for {} not delivered: {}", vnode, r);
    }
  }

  /** Stops the threads, waiting (up to 10 s) for a task under way: it may hold the backend. */
  @Override
  public void close() {
    executor.shutdownNow();
    VnodeExecutors.awaitTermination(executor);
  }
}
