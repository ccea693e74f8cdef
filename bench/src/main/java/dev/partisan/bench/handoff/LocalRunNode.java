package dev.partisan.bench.handoff;

import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A node of the run in this JVM. */
record LocalRunNode(KvNode node) implements RunNode {
  private static final long FORM_SECONDS = 20;

  @Override
  public String name() {
    return node.runtime().self().name();
  }

  @Override
  public NodeState state(Instant since) {
    return NodeState.of(node, since);
  }

  @Override
  public boolean settled(int nodes) {
    return NodeState.settledNow(node, nodes);
  }

  @Override
  public List<String> formCluster(List<String> members) {
    try {
      return node.formCluster(members).get(FORM_SECONDS, TimeUnit.SECONDS).owners();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("forming the cluster of " + members + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while forming the cluster", e);
    }
  }

  @Override
  public void setClientProps() {
    node.setBucketProps("default", "client", BucketProps.DEFAULTS.withAllowMult(false));
  }

  @Override
  public void resumeHandoff(long bytesPerSecond, int concurrency) {
    node.setHandoffRateLimit(bytesPerSecond);
    node.setHandoffConcurrency(concurrency);
  }

  @Override
  public void close() {
    node.close();
  }
}
