package dev.partisan.kv.vnode;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a node's vnodes run: their request path (each vnode actor's turns) on one pool of platform
 * threads, and their bulk work on another ({@link BulkPool}). Neither shares threads with the
 * runtime's other actors (coordinators, the handoff sender's folds, key listing), whose virtual
 * threads' carriers a RocksDB call can pin, nor with each other, so a get is not queued behind a
 * handoff apply for a thread.
 *
 * <p>Threading: immutable after construction; closed once, by the node.
 */
public final class VnodeExecutors implements AutoCloseable {
  private final ExecutorService requests;
  private final BulkPool bulk;

  /**
   * @param node the node's name, for thread names ({@code kv-vnode-NODE-i}, {@code kv-bulk-NODE-i})
   * @param requestThreads threads serving the vnodes' requests
   * @param bulkThreads threads of the bulk pool
   */
  public VnodeExecutors(String node, int requestThreads, int bulkThreads) {
    this.requests = platformPool("kv-vnode-" + node + "-", requestThreads);
    this.bulk = new BulkPool(platformPool("kv-bulk-" + node + "-", bulkThreads));
  }

  /** The request path's threads: one per core, at least two. */
  public static int defaultRequestThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A fixed pool of daemon platform threads. Work handed to it after close is dropped: the vnodes
   * are stopped by then, and a late message must not fail its sender.
   */
  private static ExecutorService platformPool(String namePrefix, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(namePrefix + " threads must be >= 1: " + threads);
    }
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        Thread.ofPlatform().daemon().name(namePrefix, 0).factory(),
        new ThreadPoolExecutor.DiscardPolicy());
  }

  Executor requests() {
    return requests;
  }

  BulkPool bulk() {
    return bulk;
  }

  /** Stops both pools, waiting (up to 10 s each) for work under way: it may hold the backend. */
  @Override
  public void close() {
    requests.shutdownNow();
    awaitTermination(requests);
    bulk.close();
  }

  static void awaitTermination(ExecutorService executor) {
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
