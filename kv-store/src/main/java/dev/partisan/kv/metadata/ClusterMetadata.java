package dev.partisan.kv.metadata;

import dev.partisan.kv.backend.MetaStore;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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

  /**
   * Reads the persisted metadata from {@code meta}, starts this node's gossiper and follows
   * membership; {@link #tick} then drives the periodic exchange with one of {@code members}.
   */
  public static ClusterMetadata start(
      PartisanRuntime runtime, MetaStore meta, Supplier<Collection<String>> members) {
    MetadataStore store = new MetadataStore(runtime.self().name());
    MetadataGossiper gossiper = new MetadataGossiper(runtime, meta, store, members);
    ActorRef ref = runtime.spawnSystem(MetadataGossiper.NAME, gossiper);
    gossiper.start(ref);
    return new ClusterMetadata(runtime, store, ref);
  }

  /** One round of anti-entropy: the whole store to one random member that is up. */
  public void tick() {
    runtime.tell(gossiper, new MetadataGossiper.Tick());
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
