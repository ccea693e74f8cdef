package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.PartisanRuntime;
import dev.partisan.runtime.SendOptions;
import dev.partisan.runtime.SendResult;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of this node's running vnodes: starts a vnode on demand (the first request for a
 * partition, as owner or as fallback), starts owned partitions' vnodes when the ring changes, and
 * retires vnodes of partitions the node neither owns nor holds data for. Each vnode's behaviour
 * (what its data means) comes from the {@link VnodeBehaviour.Factory} it is given.
 *
 * <p>Thread-safety: the registry is a concurrent map; any thread (coordinators, the router, the
 * ring manager, handoff, anti-entropy) may deliver or reconcile. Vnode actor names carry a
 * generation so that a retiring vnode and its successor never clash.
 */
public final class VnodeManager {
  private static final Logger log = LoggerFactory.getLogger(VnodeManager.class);

  private final PartisanRuntime runtime;
  private final Backend backend;
  private final String requestChannel;
  private final int mailboxCapacity;
  private final Duration forwardingGrace;
  private final BulkWriteMode handoffWrites;
  private final VnodeBehaviour.Factory behaviours;
  private final VnodeExecutors executors;
  private final Map<Integer, ActorRef> vnodes = new ConcurrentHashMap<>();
  private final Map<Integer, VnodeInfo> infos = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private volatile IntPredicate owned = p -> false;

  /**
   * @param backend the node's storage, whose partitions the vnodes own
   * @param requestChannel the channel vnode requests travel on
   * @param mailboxCapacity queued messages per vnode before it refuses work
   * @param forwardingGrace how long a vnode that handed its partition off keeps forwarding after
   *     the ring made the new owner official
   * @param handoffWrites how received handoff batches are written to the backend
   * @param behaviours makes each vnode's behaviour
   * @param executors where the vnodes run: their requests, and their bulk work (applying handoff
   *     batches)
   */
  public VnodeManager(
      PartisanRuntime runtime,
      Backend backend,
      String requestChannel,
      int mailboxCapacity,
      Duration forwardingGrace,
      BulkWriteMode handoffWrites,
      VnodeBehaviour.Factory behaviours,
      VnodeExecutors executors) {
    this.runtime = runtime;
    this.backend = backend;
    this.requestChannel = requestChannel;
    this.mailboxCapacity = mailboxCapacity;
    this.forwardingGrace = forwardingGrace;
    this.handoffWrites = handoffWrites;
    this.behaviours = behaviours;
    this.executors = executors;
  }

  /** The vnode of {@code partition}, started if it is not running. */
  public ActorRef ensure(int partition) {
    return vnodes.computeIfAbsent(partition, this::spawn);
  }

  /** The running vnode of {@code partition}, or null. */
  public ActorRef running(int partition) {
    return vnodes.get(partition);
  }

  private ActorRef spawn(int partition) {
    String name = "kv-vnode-" + partition + "." + generations.incrementAndGet();
    ActorRef ref =
        runtime.spawn(
            name,
            new Vnode(partition, runtime.self().name(), this, behaviours),
            mailboxCapacity,
            executors.requests());
    log.debug("started vnode {} on {}", partition, runtime.self().name());
    return ref;
  }

  /**
   * Hands a request to the partition's vnode, replies going to {@code replyTo}. Returns {@link
   * SendResult#MAILBOX_FULL} when the vnode is overloaded; the caller answers for it.
   */
  public SendResult deliver(VnodeRequest request, ActorRef replyTo) {
    return deliver(request.partition(), request, replyTo);
  }

  /** Hands a forwarded request or a handoff batch to the partition's vnode. */
  public SendResult deliver(int partition, Object message, ActorRef replyTo) {
    return deliver(partition, message, replyTo, requestChannel);
  }

  private SendResult deliver(int partition, Object message, ActorRef replyTo, String channel) {
    SendOptions options = SendOptions.on(channel).key(partition).from(replyTo);
    SendResult r = runtime.tell(ensure(partition), message, options);
    if (r == SendResult.NO_SUCH_ACTOR) {
      // The vnode retired between lookup and send: its successor takes the request.
      r = runtime.tell(ensure(partition), message, options);
    }
    return r;
  }

  /**
   * Hands a batch of handed-off objects to the partition's vnode, which acks to {@code replyTo}.
   */
  public SendResult deliverHandoff(HandoffBatch batch, ActorRef replyTo, String channel) {
    return deliver(batch.partition(), batch, replyTo, channel);
  }

  /** Hands a message a retiring vnode received to its successor (started if needed). */
  void redeliver(int partition, Object message, ActorRef sender, String channel) {
    SendResult r = deliver(partition, message, sender, channel == null ? requestChannel : channel);
    if (!r.accepted()) {
      log.warn(
          "vnode {}: could not pass a {} to its successor: {}",
          partition,
          message.getClass().getSimpleName(),
          r);
    }
  }

  /**
   * Passes a request on to {@code node}'s router on behalf of the request's sender, so the new
   * holder answers that sender (the coordinator, usually on a third node) directly.
   */
  SendResult forward(String node, ForwardedRequest request, ActorContext ctx) {
    forwarded.incrementAndGet();
    ActorRef target = ActorRef.of(node, VnodeRouter.NAME);
    int partition = request.vnodeRequest().partition();
    SendOptions options = SendOptions.on(requestChannel).key(partition);
    ActorRef replyTo = ctx.sender();
    return runtime.tell(target, request, replyTo == null ? options : options.from(replyTo));
  }

  /** Starts the owned partitions' vnodes; asks the others to retire if they may. */
  public void reconcile(IntPredicate ownedNow, int ringSize) {
    this.owned = ownedNow;
    for (int p = 0; p < ringSize; p++) {
      if (ownedNow.test(p)) {
        ensure(p);
      }
    }
    checkRetire();
  }

  /** Asks every vnode of a partition this node does not own to retire if it may. */
  public void checkRetire() {
    IntPredicate o = owned;
    for (Map.Entry<Integer, ActorRef> e : vnodes.entrySet()) {
      if (!o.test(e.getKey())) {
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

  boolean owns(int partition) {
    return owned.test(partition);
  }

  /** Called by a retiring vnode before it stops, so new requests start a successor. */
  void retired(int partition, ActorRef ref) {
    vnodes.remove(partition, ref);
    log.debug("retired vnode {} on {}", partition, runtime.self().name());
  }

  /** Runs a vnode's bulk work on the pool; its result goes to the vnode. False: node closing. */
  boolean runBulk(ActorRef vnode, Supplier<Object> work) {
    return executors.bulk().submit(runtime, vnode, work);
  }

  /** Where actors whose every turn is bulk work run (handoff senders): the vnodes' bulk pool. */
  public Executor bulkExecutor() {
    return executors.bulkExecutor();
  }

  /**
   * Makes every handoff batch this node's vnodes stored so far durable ({@link Backend#syncBulk}),
   * on the bulk pool since it may wait for a memtable flush, then tells {@code to} the message
   * {@code done} makes of the failure (null: it worked). False when the node is closing.
   */
  public boolean syncHandoffWrites(ActorRef to, Function<String, Object> done) {
    return executors
        .bulk()
        .submit(
            runtime,
            to,
            () -> {
              try {
                backend.syncBulk(handoffWrites);
                return done.apply(null);
              } catch (RuntimeException e) {
                log.warn("making received handoff data durable failed: {}", e.toString());
                return done.apply(e.getMessage() == null ? e.toString() : e.getMessage());
              }
            });
  }

  BulkWriteMode handoffWrites() {
    return handoffWrites;
  }

  int mailboxCapacity() {
    return mailboxCapacity;
  }

  boolean isUp(String node) {
    return runtime.isUp(node);
  }

  Duration forwardingGrace() {
    return forwardingGrace;
  }

  void publish(VnodeInfo info) {
    infos.put(info.partition(), info);
  }

  void unpublish(VnodeInfo info) {
    if (info != null) {
      infos.remove(info.partition(), info);
    }
  }

  /** What each running vnode last published (mode, hash trees), by partition. */
  public SortedMap<Integer, VnodeInfo> infos() {
    return new TreeMap<>(infos);
  }

  /** Requests this node's vnodes passed on to the new holder of their partition. */
  public long forwarded() {
    return forwarded.get();
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
