package dev.partisan.kv.metadata;

import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster metadata as the rest of the node uses it: read the local store, write changes that
 * are applied here at once and then persisted and spread by the {@link MetadataGossiper}.
 * Thread-safe.
 */
public final class ClusterMetadata {
  private final PartisanRuntime runtime;
  private final MetadataStore store;
  private final ActorRef gossiper;

  public ClusterMetadata(PartisanRuntime runtime, MetadataStore store, ActorRef gossiper) {
    this.runtime = runtime;
    this.store = store;
    this.gossiper = gossiper;
  }

  public MetadataStore store() {
    return store;
  }

  /**
   * Writes every change (a null value deletes its key) with fresh stamps; the future completes once
   * they are persisted on this node and pushed to the members that are up.
   */
  public CompletableFuture<Void> write(Map<String, Object> changes) {
    changes.forEach(store::write);
    CompletableFuture<Void> done = new CompletableFuture<>();
    runtime.tell(gossiper, new MetadataGossiper.Changed(done));
    return done;
  }
}
