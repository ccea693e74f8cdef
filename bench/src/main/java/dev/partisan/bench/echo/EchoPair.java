package dev.partisan.bench.echo;

import dev.partisan.runtime.PartisanRuntime;

/**
 * The two nodes of one configuration's run, as the senders see them: node A (this JVM, where the
 * senders are) and node B's echo actors, in this JVM ({@link EchoNodes}) or in another process
 * ({@link ProcessEchoPeer}). Closing it stops A and whatever this pair alone started.
 */
interface EchoPair extends AutoCloseable {
  /** Node A, which asks B's echo actors. */
  PartisanRuntime sender();

  /** Makes sure B has echo actors for senders 0..n-1. */
  void spawnEchoes(int n);

  @Override
  void close();
}
