package dev.partisan.kv.coord;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.GetResult;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.KvError;
import dev.partisan.kv.KvException;
import dev.partisan.kv.KvStats;
import dev.partisan.kv.PutResult;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtCodec;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.OpCodec;
import dev.partisan.kv.object.Update;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.kv.ring.BucketRegistry;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.kv.vnode.VnodeRequest;
import dev.partisan.kv.vnode.VnodeRouter;
import dev.partisan.ring.Replica;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What every coordinator of this node shares: the runtime, the current ring, the local vnodes and
 * bucket properties. Thread-safe; coordinators on any thread use it.
 */
public final class Coordination {
  private final PartisanRuntime runtime;
  private final KvConfig config;
  private final Supplier<RingView> ring;
  private final VnodeManager vnodes;
  private final BucketRegistry buckets;
  private final KvStats stats;
  private final String requestChannel;
  private final AtomicLong ids = new AtomicLong();
  private final Set<String> up;

  public Coordination(
      PartisanRuntime runtime,
      KvConfig config,
      Supplier<RingView> ring,
      VnodeManager vnodes,
      BucketRegistry buckets,
      KvStats stats,
      String requestChannel) {
    this.runtime = runtime;
    this.config = config;
    this.ring = ring;
    this.vnodes = vnodes;
    this.buckets = buckets;
    this.stats = stats;
    this.requestChannel = requestChannel;
    // A live view for preference lists (which only ask "is this node up?"): always current,
    // never copied per request.
    this.up =
        new AbstractSet<>() {
          @Override
          public boolean contains(Object o) {
            return o instanceof String s && runtime.isUp(s);
          }

          @Override
          public Iterator<String> iterator() {
            return runtime.overlay().upMembers().stream().map(n -> n.name()).iterator();
          }

          @Override
          public int size() {
            return runtime.overlay().upMembers().size();
          }
        };
  }

  /** Starts a read; the future fails with {@link dev.partisan.kv.KvException}. */
  public CompletableFuture<GetResult> get(BKey key, RequestOptions options) {
    CompletableFuture<GetResult> f = new CompletableFuture<>();
    spawn("get", new GetCoordinator(this, key, options, f), f);
    return f;
  }

  /**
   * Anti-entropy repair of one key: a read of all {@code n} replicas (answered at R=1) whose read
   * repair sends the merged object to every replica that is missing it or holds an older version.
   * Not counted as a client read.
   */
  public CompletableFuture<GetResult> repairRead(BKey key, int n) {
    CompletableFuture<GetResult> f = new CompletableFuture<>();
    RequestOptions options = RequestOptions.defaults().nVal(n).r(1).pr(0);
    spawn("aae-get", new GetCoordinator(this, key, options, f, true), f);
    return f;
  }

  /** Starts a write (a tombstone when {@code update} is a deletion). */
  public CompletableFuture<PutResult> put(
      BKey key, Update update, CausalContext context, RequestOptions options) {
    CompletableFuture<PutResult> f = new CompletableFuture<>();
    spawn("put", new PutCoordinator(this, key, update, context, options, f), f);
    return f;
  }

  /**
   * Starts a data-type update: {@code op} with the client's {@code context} (null: none), applied
   * by the coordinating vnode, then replicated as any write is.
   */
  public CompletableFuture<PutResult> updateDatatype(
      BKey key, DtOp op, VersionVector context, RequestOptions options) {
    PutCoordinator.DatatypeWrite write =
        new PutCoordinator.DatatypeWrite(op.dataType(), OpCodec.encode(op, context));
    Update placeholder = new Update(new byte[0], DtCodec.CONTENT_TYPE, Map.of(), false);
    CompletableFuture<PutResult> f = new CompletableFuture<>();
    spawn(
        "dt-update",
        new PutCoordinator(this, key, placeholder, CausalContext.EMPTY, options, f, write),
        f);
    return f;
  }

  /** The properties of {@code key}'s bucket, as this node knows them. */
  public BucketProps propsFor(BKey key) {
    return buckets.propsFor(key);
  }

  PartisanRuntime runtime() {
    return runtime;
  }

  KvConfig config() {
    return config;
  }

  RingView ring() {
    return ring.get();
  }

  BucketRegistry buckets() {
    return buckets;
  }

  KvStats stats() {
    return stats;
  }

  Set<String> upNodes() {
    return up;
  }

  String self() {
    return runtime.self().name();
  }

  /** Starts a coordinator actor and hands it its first message. */
  private void spawn(String kind, Actor coordinator, CompletableFuture<?> result) {
    String name = "kv-" + kind + "-" + ids.incrementAndGet();
    ActorRef ref = runtime.spawn(name, coordinator, 256);
    SendResult r = runtime.tell(ref, Coordinator.START);
    if (!r.accepted()) {
      runtime.stop(ref);
      result.completeExceptionally(
          new KvException(KvError.UNAVAILABLE, "node " + self() + " is not running (" + r + ")"));
    }
  }

  /**
   * Sends a request to a replica's vnode: directly when it is on this node, else through that
   * node's router on the {@code request} channel keyed by partition.
   */
  SendResult send(Replica replica, VnodeRequest request, ActorRef from) {
    if (replica.node().equals(self())) {
      return vnodes.deliver(request, from);
    }
    return runtime.tell(
        ActorRef.of(replica.node(), VnodeRouter.NAME),
        request,
        SendOptions.on(requestChannel).key(request.partition()).from(from));
  }
}
