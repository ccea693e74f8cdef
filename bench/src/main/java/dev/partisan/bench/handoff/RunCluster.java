package dev.partisan.bench.handoff;

import dev.partisan.bench.process.Address;
import dev.partisan.kv.KvNode;
import java.util.List;

/**
 * The started nodes of one run of the handoff scenario: the seeded ones (in this JVM or each in its
 * own process) and the joining one, always in this JVM, where the client calls it in-process. On
 * return from a start every node has joined the first node's overlay (not yet its ring).
 */
interface RunCluster extends AutoCloseable {
  /** Every node, the seeded ones first (node1 first), the joining one last. */
  List<RunNode> nodes();

  /** The joining node: it receives the handoff and the client runs on it. */
  KvNode joining();

  /** The first node's advertised address, which the others join. */
  Address seed();

  /** Where the nodes run and what is between them, for the log. */
  String describe();

  @Override
  void close();
}
