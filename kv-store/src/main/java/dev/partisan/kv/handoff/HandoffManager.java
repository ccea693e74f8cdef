package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.HandoffStatus.PendingTransfer;
import dev.partisan.kv.HandoffType;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.handoff.HandoffMessages.HandoffCommit;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.Retries.Move;
import dev.partisan.kv.handoff.Retries.Retry;
import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.VnodeManager;
import dev.partisan.ring.MemberStatus;
import dev.partisan.ring.RingState;
import dev.partisan.ring.Transfer;
import dev.partisan.ring.TransferState;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.PartisanRuntime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and tracks this node's handoffs (actor {@value HandoffMessages#RECEIVER}), and receives
 * other nodes' handoffs.
 *
 * <p><b>Sending.</b> On every tick it compares what the ring asks for with what is running:
 *
 * <ul>
 *   <li><b>ownership</b>: every pending transfer from this node that is not complete, to an up
 *       target. When a transfer's handoff finishes (the target confirmed the whole partition and
 *       the local copy is dropped) it marks the transfer {@code COMPLETE}; the claimant's {@code
 *       advance} then makes the target the owner. A mark can be lost when it races a claimant
 *       version bump, so it is made again on every tick while the ring still shows the transfer
 *       pending;
 *   <li><b>hinted</b>: every partition this node holds data for but does not own (fallback data, or
 *       writes that arrived with an old ring), unless the partition is on its way to this node,
 *       goes to the partition's owner once the owner is up;
 *   <li>a running transfer the ring no longer asks for (replanned, owner changed) is cancelled.
 * </ul>
 *
 * At most {@code concurrency} transfers run at once (riak's {@code handoff_concurrency}, 2 by
 * default, changeable at run time); ownership transfers go first. A failed attempt is retried with
 * exponential back-off; it resumes after the last acknowledged batch if the receiver is the same
 * incarnation that acknowledged it (as the receiver itself says when the new attempt opens) and the
 * vnode still has the keys written since, and starts over otherwise.
 *
 * <p><b>Receiving.</b> It accepts up to {@code concurrency} inbound transfers, and hands each batch
 * to the partition's vnode, which merges the objects and acknowledges to the sender ({@link
 * InboundSessions}).
 *
 * <p><b>Leaving.</b> Once this node is {@code EXITING} (it owns nothing) and holds no data, it
 * completes {@link #exited()}.
 *
 * <p>State: owned by this actor; {@link #status()} reads the {@link HandoffReport} it keeps.
 */
public final class HandoffManager implements Actor {
  private static final Logger log = LoggerFactory.getLogger(HandoffManager.class);

  /** Local: periodic work. */
  public record Tick() {}

  private record Running(Progress progress, ActorRef actor) {}

  private final PartisanRuntime runtime;
  private final String self;
  private final VnodeManager vnodes;
  private final Supplier<RingView> ring;
  private final ActorRef ringManager;
  private final KvConfig.Handoff settings;
  private final HandoffThrottle throttle; // shared by this node's senders; thread-safe
  private volatile int concurrency;
  private final AtomicLong ids = new AtomicLong(System.nanoTime());

  // Owned by the actor.
  private final Map<Integer, Running> outbound = new TreeMap<>();
  private final Retries retries;
  private final Set<Move> completedMoves = new HashSet<>();
  private final InboundSessions inbound;
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private ActorRef me;

  // Read by other threads.
  private final HandoffReport report = new HandoffReport();

  public HandoffManager(
      PartisanRuntime runtime,
      VnodeManager vnodes,
      Supplier<RingView> ring,
      ActorRef ringManager,
      KvConfig.Handoff settings) {
    this.runtime = runtime;
    this.self = runtime.self().name();
    this.vnodes = vnodes;
    this.ring = ring;
    this.ringManager = ringManager;
    this.settings = settings;
    this.concurrency = settings.concurrency();
    this.throttle = new HandoffThrottle(settings.maxBytesPerSecond());
    this.retries = new Retries(settings.interval().toMillis());
    this.inbound =
        new InboundSessions(
            runtime.self(), vnodes, settings.ackTimeout(), () -> concurrency, this::publishActive);
  }

  /** The node's outbound handoff rate limit in bytes per second (0: unlimited); any thread. */
  public void setRateLimit(long bytesPerSecond) {
    throttle.setRate(bytesPerSecond);
  }

  public long rateLimit() {
    return throttle.rate();
  }

  /** Changes the concurrency limit at run time (running transfers are not stopped). */
  public void setConcurrency(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("handoff concurrency must be >= 0: " + limit);
    }
    concurrency = limit;
  }

  public int concurrency() {
    return concurrency;
  }

  /** Completes when this node has left the ring and handed off all its data. */
  public CompletableFuture<Void> exited() {
    return exited;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (me == null) {
      me = ctx.self();
    }
    switch (message) {
      case Tick t -> tick();
      case AttemptOutcome o -> onOutcome(o);
      case HandoffStart s -> inbound.onStart(ctx, s);
      case HandoffBatch b -> inbound.onBatch(ctx, b);
      case HandoffCommit c -> inbound.onCommit(ctx, c);
      case InboundSessions.Synced s -> inbound.onSynced(ctx, s);
      case HandoffFinish f -> inbound.onFinish(f);
      default -> log.warn("handoff manager ignores {}", message.getClass().getSimpleName());
    }
  }

  // ------------------------------------------------------------------ sending

  private void tick() {
    inbound.expire();
    RingState r = ring.get().ring();
    cancelUnwanted(r);
    remark(r);
    List<PendingTransfer> waiting = new ArrayList<>();
    List<Move> due = new ArrayList<>();
    long now = System.nanoTime();
    for (Transfer t : r.transfersFrom(self)) {
      Move m = new Move(t.partition(), t.to(), HandoffType.OWNERSHIP);
      if (t.state() == TransferState.COMPLETE
          || completedMoves.contains(m)
          || outbound.containsKey(t.partition())) {
        continue;
      }
      consider(m, now, waiting, due);
    }
    for (int p = 0; p < r.ringSize(); p++) {
      String owner = r.owner(p);
      if (owner.equals(self) || outbound.containsKey(p) || incoming(r, p)) {
        continue;
      }
      if (!vnodes.isEmpty(p)) {
        consider(new Move(p, owner, HandoffType.HINTED), now, waiting, due);
      }
    }
    for (Move m : due) {
      if (outbound.size() >= concurrency) {
        waiting.add(
            new PendingTransfer(m.partition(), self, m.target(), m.type(), "concurrency limit"));
        continue;
      }
      start(m);
    }
    report.waiting(waiting);
    publishActive();
    vnodes.checkRetire();
    checkExit(r);
  }

  private void consider(Move m, long now, List<PendingTransfer> waiting, List<Move> due) {
    if (!isUp(m.target())) {
      waiting.add(
          new PendingTransfer(m.partition(), self, m.target(), m.type(), m.target() + " is down"));
      return;
    }
    Retry retry = retries.get(m);
    if (retry != null && retry.notBeforeNanos() > now) {
      waiting.add(
          new PendingTransfer(
              m.partition(), self, m.target(), m.type(), "retrying after: " + retry.error()));
      return;
    }
    due.add(m);
  }

  /** True if the partition is on its way to this node (its data must stay here). */
  private boolean incoming(RingState r, int partition) {
    return r.transfer(partition).map(t -> t.to().equals(self)).orElse(false);
  }

  private void cancelUnwanted(RingState r) {
    for (Running run : outbound.values()) {
      Progress p = run.progress();
      if (!isUp(p.to())) {
        // Do not wait for the ack timeout: stop now, keeping what the vnode recorded, so the
        // transfer resumes when the target is back (if it is the same incarnation).
        runtime.tell(run.actor(), new HandoffSender.Cancel(p.to() + " is down", false));
        continue;
      }
      boolean wanted;
      if (p.type() == HandoffType.OWNERSHIP) {
        wanted =
            r.transfer(p.partition())
                .map(t -> t.from().equals(self) && t.to().equals(p.to()))
                .orElse(false);
      } else {
        wanted = r.owner(p.partition()).equals(p.to()) && !incoming(r, p.partition());
      }
      if (!wanted) {
        runtime.tell(run.actor(), new HandoffSender.Cancel("the ring no longer asks for it", true));
      }
    }
  }

  /** Marks complete, again, the transfers this node finished that the ring still shows pending. */
  private void remark(RingState r) {
    completedMoves.removeIf(
        m ->
            r.transfer(m.partition())
                .map(t -> !t.from().equals(self) || !t.to().equals(m.target()))
                .orElse(true));
    for (Move m : completedMoves) {
      Transfer t = r.transfer(m.partition()).orElseThrow();
      if (t.state() != TransferState.COMPLETE) {
        mark(m.partition(), m.target(), TransferState.COMPLETE);
      }
    }
  }

  private void mark(int partition, String to, TransferState state) {
    runtime.tell(ringManager, new RingManager.MarkTransfer(partition, self, to, state));
  }

  private void start(Move m) {
    Retry retry = retries.get(m);
    boolean resume = retry != null && retry.resumable(incarnation(m.target()));
    long id = ids.incrementAndGet();
    Progress progress =
        new Progress(
            id,
            m.partition(),
            self,
            m.target(),
            m.type(),
            TransferInfo.Direction.OUTBOUND,
            retry == null ? 1 : retry.attempts() + 1,
            retry == null ? null : retry.error());
    HandoffSender sender =
        new HandoffSender(
            runtime,
            vnodes,
            settings,
            throttle,
            progress,
            me,
            resume ? retry.cursor() : null,
            resume && retry.foldDone(),
            resume ? retry.targetIncarnation() : 0);
    // Its folds read whole partitions: the sender runs on the vnodes' bulk pool, not on the
    // carriers of the request path's virtual threads.
    ActorRef ref = runtime.spawn("kv-handoff-out-" + id, sender, 1024, vnodes.bulkExecutor());
    outbound.put(m.partition(), new Running(progress, ref));
    runtime.tell(ref, new HandoffSender.Start());
    if (m.type() == HandoffType.OWNERSHIP) {
      mark(m.partition(), m.target(), TransferState.IN_PROGRESS);
    }
    log.info(
        "{}: {} handoff of partition {} to {} started{}",
        self,
        m.type().name().toLowerCase(java.util.Locale.ROOT),
        m.partition(),
        m.target(),
        resume ? " (resuming)" : "");
  }

  private void onOutcome(AttemptOutcome o) {
    Running run = outbound.get(o.partition());
    if (run == null || run.progress().id() != o.id()) {
      return;
    }
    outbound.remove(o.partition());
    Move m = new Move(o.partition(), o.target(), o.type());
    report.ended(run.progress().info(), o.ok(), o.busy());
    if (o.ok()) {
      retries.completed(m);
      if (o.type() == HandoffType.OWNERSHIP) {
        completedMoves.add(m);
        mark(o.partition(), o.target(), TransferState.COMPLETE);
      }
      log.info(
          "{}: {} handoff of partition {} to {} complete ({} objects, {} bytes)",
          self,
          o.type().name().toLowerCase(java.util.Locale.ROOT),
          o.partition(),
          o.target(),
          run.progress().info().objects(),
          run.progress().info().bytes());
    } else {
      retries.failed(m, o);
    }
    publishActive();
  }

  private boolean isUp(String node) {
    return runtime.isUp(node);
  }

  private long incarnation(String node) {
    for (NodeId n : runtime.overlay().members()) {
      if (n.name().equals(node)) {
        return n.incarnation();
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ leaving

  private void checkExit(RingState r) {
    if (exited.isDone()) {
      return;
    }
    MemberStatus status = r.members().get(self);
    if (status != MemberStatus.EXITING || !outbound.isEmpty()) {
      return;
    }
    if (!vnodes.running().isEmpty()) {
      // Vnodes that handed their partitions off keep forwarding for a grace period, for requests
      // made with the ring before this node's exit; wait until they have retired.
      return;
    }
    for (int p = 0; p < r.ringSize(); p++) {
      if (!vnodes.isEmpty(p)) {
        return; // hinted data still to return
      }
    }
    log.info("{}: left the ring and handed off all data; leaving the cluster", self);
    exited.complete(null);
  }

  // ------------------------------------------------------------------ operator view

  private void publishActive() {
    List<Progress> all = new ArrayList<>();
    outbound.values().forEach(r -> all.add(r.progress()));
    inbound.progress(all);
    report.active(all);
  }

  /** A snapshot for operators; any thread. */
  public HandoffStatus status() {
    return report.status(concurrency);
  }
}
