package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.Backend;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of this node's running vnodes: starts a vnode on demand (the first request for a
 * partition, as owner or as fallback), starts owned partitions' vnodes when the ring changes, and
 * retires vnodes of partitions the node neither owns nor holds data for.
 *
 * <p>Thread-safety: the registry is a concurrent map; any thread (coordinators, the router, the
 * ring manager) may deliver or reconcile. Vnode actor names carry a generation so that a retiring
 * vnode and its successor never clash.
 */
public final class VnodeManager {
  private static final Logger log = LoggerFactory.getLogger(VnodeManager.class);

  private final PartisanRuntime runtime;
  private final Backend backend;
  private final String requestChannel;
  private final int mailboxCapacity;
  private final long maxObjectBytes;
  private final Map<Integer, ActorRef> vnodes = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  private volatile IntPredicate owned = p -> false;

  public VnodeManager(
      PartisanRuntime runtime,
      Backend backend,
      String requestChannel,
      int mailboxCapacity,
      long maxObjectBytes) {
    this.runtime = runtime;
    this.backend = backend;
    this.requestChannel = requestChannel;
    this.mailboxCapacity = mailboxCapacity;
    this.maxObjectBytes = maxObjectBytes;
  }

  /** The vnode of {@code partition}, started if it is not running. */
  public ActorRef ensure(int partition) {
    return vnodes.computeIfAbsent(partition, this::spawn);
  }

  private ActorRef spawn(int partition) {
    String name = "kv-vnode-" + partition + "." + generations.incrementAndGet();
    ActorRef ref =
        runtime.spawn(
            name,
            new Vnode(partition, runtime.self().name(), backend, maxObjectBytes, this),
            mailboxCapacity);
    log.debug("started vnode {} on {}", partition, runtime.self().name());
    return ref;
  }

  /**
   * Hands a request to the partition's vnode, replies going to {@code replyTo}. Returns {@link
   * SendResult#MAILBOX_FULL} when the vnode is overloaded; the caller answers for it.
   */
  public SendResult deliver(VnodeRequest request, ActorRef replyTo) {
    SendOptions options = SendOptions.on(requestChannel).key(request.partition()).from(replyTo);
    SendResult r = runtime.tell(ensure(request.partition()), request, options);
    if (r == SendResult.NO_SUCH_ACTOR) {
      // The vnode retired between lookup and send: its successor takes the request.
      r = runtime.tell(ensure(request.partition()), request, options);
    }
    return r;
  }

  /** Starts the owned partitions' vnodes; asks the others to retire if they may. */
  public void reconcile(IntPredicate ownedNow, int ringSize) {
    this.owned = ownedNow;
    for (int p = 0; p < ringSize; p++) {
      if (ownedNow.test(p)) {
        ensure(p);
      }
    }
    for (Map.Entry<Integer, ActorRef> e : vnodes.entrySet()) {
      if (!ownedNow.test(e.getKey())) {
        runtime.tell(e.getValue(), new Vnode.RetireCheck());
      }
    }
  }

  /** Starts vnodes for partitions that hold data (fallback data kept across a restart). */
  public void startNonEmpty(int ringSize) {
    for (int p = 0; p < ringSize; p++) {
      if (!backend.isEmpty(p)) {
        ensure(p);
      }
    }
  }

  /** Called by a vnode on its own thread: may it stop? Only when not owned and empty. */
  boolean mayRetire(int partition) {
    return !owned.test(partition) && backend.isEmpty(partition);
  }

  /** Called by a retiring vnode before it stops, so new requests start a successor. */
  void retired(int partition, ActorRef ref) {
    vnodes.remove(partition, ref);
    log.debug("retired vnode {} on {}", partition, runtime.self().name());
  }

  public boolean isEmpty(int partition) {
    return backend.isEmpty(partition);
  }

  /** Partitions with a running vnode (a snapshot). */
  public Set<Integer> running() {
    return new TreeSet<>(vnodes.keySet());
  }

  public Backend backend() {
    return backend;
  }
}
