package dev.partisan.kv.vnode;

import dev.partisan.runtime.channel.TrafficClass;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a node's vnodes run: their request path (each vnode actor's turns) on one pool of platform
 * threads, and their bulk work on another ({@link BulkPool}). Neither shares threads with the
 * runtime's other actors (coordinators, key listing), whose virtual threads' carriers a RocksDB
 * call can pin, nor with each other, so a get is not queued behind a handoff apply for a thread.
 * The handoff senders' actors run on the bulk pool too ({@link #bulkExecutor()}): their folds read
 * whole partitions.
 *
 * <p>When the node separates bulk traffic (its bulk channels have event loops of their own), the
 * bulk pool's threads run at {@link TrafficClass#BULK}'s lower priority as well: on a machine with
 * few cores, a request then gets a core as soon as it is runnable instead of waiting for a running
 * apply or fold to use up its time slice.
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
   * @param bulkClass the class whose thread priority the bulk pool runs at: {@link
   *     TrafficClass#BULK} when the node separates bulk traffic, else {@link TrafficClass#LATENCY}
   */
  public VnodeExecutors(String node, int requestThreads, int bulkThreads, TrafficClass bulkClass) {
    this.requests = platformPool("kv-vnode-" + node + "-", requestThreads, TrafficClass.LATENCY);
    this.bulk = new BulkPool(platformPool("kv-bulk-" + node + "-", bulkThreads, bulkClass));
  }

  /** The request path's threads: one per core, at least two. */
  public static int defaultRequestThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A fixed pool of daemon platform threads. Work handed to it after close is dropped: the vnodes
   * are stopped by then, and a late message must not fail its sender.
   */
  private static ExecutorService platformPool(String namePrefix, int threads, TrafficClass cls) {
    if (threads < 1) {
      throw new IllegalArgumentException(namePrefix + " threads must be >= 1: " + threads);
    }
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        Thread.ofPlatform().daemon().priority(cls.threadPriority()).name(namePrefix, 0).factory(),
        new ThreadPoolExecutor.DiscardPolicy());
  }

  Executor requests() {
    return requests;
  }

  BulkPool bulk() {
    return bulk;
  }

  /**
   * The bulk pool as an executor for actors whose every turn is bulk work (handoff senders). Such
   * an actor's turns queue behind applies and tree reads, never in front of a vnode's requests.
   */
  public Executor bulkExecutor() {
    return bulk.executor();
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
