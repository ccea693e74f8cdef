package dev.partisan.bench.kv;

import dev.partisan.kv.BKey;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The Java client ({@link dev.partisan.kv.KvClient}) of in-process nodes, R=W=quorum. */
final class ClientTarget implements KvTarget {
  private final List<KvNode> nodes;
  private final String bucket;
  private final RequestOptions options = RequestOptions.defaults();

  ClientTarget(List<KvNode> nodes, String bucket) {
    this.nodes = nodes;
    this.bucket = bucket;
  }

  private BKey key(String key) {
    return BKey.of(bucket, key);
  }

  @Override
  public CompletableFuture<?> get(String key, int node) {
    return nodes.get(node % nodes.size()).client().get(key(key), options);
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value, int node) {
    return nodes
        .get(node % nodes.size())
        .client()
        .put(key(key), Content.of(value), CausalContext.EMPTY, options);
  }

  @Override
  public boolean notFound(Object getResult) {
    return getResult instanceof dev.partisan.kv.GetResult r && !r.found();
  }

  @Override
  public int nodes() {
    return nodes.size();
  }

  @Override
  public String describe() {
    return "Java client of " + nodes.size() + " in-process nodes";
  }

  @Override
  public void close() {}
}
