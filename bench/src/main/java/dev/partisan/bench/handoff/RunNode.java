package dev.partisan.bench.handoff;

import java.time.Instant;
import java.util.List;

/**
 * What a run of the handoff scenario does with one of its nodes, wherever the node runs: in this
 * JVM ({@link LocalRunNode}) or in a {@code bench handoff-node} process ({@link ProcessRunNode}).
 * Called from the command's thread.
 */
interface RunNode extends AutoCloseable {
  String name();

  /** The node's state now; anti-entropy trees built since {@code since} are counted. */
  NodeState state(Instant since);

  /**
   * Whether the node sees a cluster of {@code nodes} with nothing left to move ({@link
   * NodeState#settled}), read cheaply: only its ring and transfers.
   */
  boolean settled(int nodes);

  /**
   * Forms a fresh cluster of {@code members} from this node (ownership claimed at once) and returns
   * the owner of each partition of the formed ring, in partition order.
   */
  List<String> formCluster(List<String> members);

  /** Sets the client bucket's properties (allow_mult=false) from this node. */
  void setClientProps();

  /** Lets handoff run: {@code bytesPerSecond} (0: no limit) and {@code concurrency} at once. */
  void resumeHandoff(long bytesPerSecond, int concurrency);

  @Override
  void close();
}
