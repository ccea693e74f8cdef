package dev.partisan.kv.handoff;

import dev.partisan.kv.HandoffStatus;
import dev.partisan.kv.HandoffStatus.PendingTransfer;
import dev.partisan.kv.HandoffType;
import dev.partisan.kv.KvChannels;
import dev.partisan.kv.KvConfig;
import dev.partisan.kv.TransferInfo;
import dev.partisan.kv.handoff.HandoffMessages.HandoffFinish;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStart;
import dev.partisan.kv.handoff.HandoffMessages.HandoffStartReply;
import dev.partisan.kv.ring.RingManager;
import dev.partisan.kv.ring.RingView;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
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
import dev.partisan.runtime.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * incarnation and the vnode still has the keys written since, and starts over otherwise.
 *
 * <p><b>Receiving.</b> It accepts up to {@code concurrency} inbound transfers, and hands each batch
 * to the partition's vnode, which merges the objects and acknowledges to the sender.
 *
 * <p><b>Leaving.</b> Once this node is {@code EXITING} (it owns nothing) and holds no data, it
 * completes {@link #exited()}.
 *
 * <p>State: owned by this actor; {@link #status()} reads volatile snapshots and atomics.
 */
public final class HandoffManager implements Actor {
  private static final Logger log = LoggerFactory.getLogger(HandoffManager.class);
  private static final int RECENT = 32;
  private static final long MAX_RETRY_DELAY_MS = 30_000;

  /** Local: periodic work. */
  public record Tick() {}

  private record Running(Progress progress, ActorRef actor) {}

  private record Move(int partition, String target, HandoffType type) {}

  private record Retry(
      int attempts,
      long notBeforeNanos,
      byte[] cursor,
      boolean foldDone,
      long targetIncarnation,
      String error) {}

  private record Inbound(Progress progress, ActorRef sender) {}

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
  private final Map<Move, Retry> retries = new HashMap<>();
  private final Set<Move> completedMoves = new HashSet<>();
  private final Map<Long, Inbound> inbound = new HashMap<>();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private ActorRef me;

  // Read by other threads.
  private volatile List<Progress> activeView = List.of();
  private volatile List<PendingTransfer> waitingView = List.of();
  private final Deque<TransferInfo> recent = new ArrayDeque<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong objectsSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();

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
      case HandoffSender.Outcome o -> onOutcome(o);
      case HandoffStart s -> onStart(ctx, s);
      case HandoffBatch b -> onBatch(ctx, b);
      case HandoffFinish f -> onFinish(f);
      default -> log.warn("handoff manager ignores {}", message.getClass().getSimpleName());
    }
  }

  // ------------------------------------------------------------------ sending

  private void tick() {
    expireInbound();
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
    waitingView = List.copyOf(waiting);
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
    long incarnation = incarnation(m.target());
    boolean resume =
        retry != null
            && retry.targetIncarnation() == incarnation
            && incarnation != 0
            && (retry.cursor() != null || retry.foldDone());
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
            resume && retry.foldDone());
    ActorRef ref = runtime.spawn("kv-handoff-out-" + id, sender, 1024);
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

  private void onOutcome(HandoffSender.Outcome o) {
    Running run = outbound.get(o.partition());
    if (run == null || run.progress().id() != o.id()) {
      return;
    }
    outbound.remove(o.partition());
    Move m = new Move(o.partition(), o.target(), o.type());
    TransferInfo finished = run.progress().info();
    objectsSent.addAndGet(finished.objects());
    bytesSent.addAndGet(finished.bytes());
    if (!o.busy()) {
      addRecent(finished);
    }
    if (o.ok()) {
      completed.incrementAndGet();
      retries.remove(m);
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
      Retry previous = retries.get(m);
      int attempts;
      long delay;
      if (o.busy()) {
        // The receiver had no free slot: normal under load, try again soon, no back-off.
        attempts = previous == null ? 0 : previous.attempts();
        delay = settings.interval().toMillis();
      } else {
        failed.incrementAndGet();
        attempts = previous == null ? 1 : previous.attempts() + 1;
        delay = Math.min(MAX_RETRY_DELAY_MS, 250L << Math.min(attempts - 1, 7));
      }
      retries.put(
          m,
          new Retry(
              attempts,
              System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay),
              o.busy() && previous != null ? previous.cursor() : o.cursor(),
              o.busy() && previous != null ? previous.foldDone() : o.foldDone(),
              o.busy() && previous != null ? previous.targetIncarnation() : incarnation(o.target()),
              o.error()));
    }
    publishActive();
  }

  private void addRecent(TransferInfo info) {
    synchronized (recent) {
      recent.addFirst(info);
      while (recent.size() > RECENT) {
        recent.removeLast();
      }
    }
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

  // ------------------------------------------------------------------ receiving

  private void onStart(ActorContext ctx, HandoffStart s) {
    expireInbound();
    if (inbound.containsKey(s.id())) {
      ctx.reply(new HandoffStartReply(s.id(), true, null));
      return;
    }
    // A new attempt from the same sender for the same partition replaces an abandoned one.
    inbound
        .values()
        .removeIf(
            in ->
                in.progress().from().equals(s.from())
                    && in.progress().partition() == s.partition());
    if (inbound.size() >= concurrency) {
      ctx.reply(
          new HandoffStartReply(
              s.id(), false, self + " already receives " + inbound.size() + " transfer(s)"));
      return;
    }
    Progress p =
        new Progress(
            s.id(),
            s.partition(),
            s.from(),
            self,
            s.type(),
            TransferInfo.Direction.INBOUND,
            1,
            null);
    p.phase("receiving");
    inbound.put(s.id(), new Inbound(p, ctx.sender()));
    publishActive();
    ctx.reply(new HandoffStartReply(s.id(), true, null));
  }

  private void onBatch(ActorContext ctx, HandoffBatch b) {
    Inbound in = inbound.get(b.id());
    if (in == null || in.progress().partition() != b.partition()) {
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "unknown session " + b.id()));
      return;
    }
    in.progress().touch();
    SendResult r = vnodes.deliverHandoff(b, ctx.sender(), KvChannels.HANDOFF);
    if (!r.accepted()) {
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "vnode busy: " + r));
      return;
    }
    in.progress().sent(b.items().size(), b.bytes());
  }

  private void onFinish(HandoffFinish f) {
    Inbound in = inbound.remove(f.id());
    if (in != null) {
      in.progress().phase(f.completed() ? "done" : "failed");
      in.progress().end();
      publishActive();
    }
  }

  /**
   * Forgets inbound sessions whose sender went silent (it crashed or lost its finish message), so
   * they stop holding inbound slots. Runs on every tick as well as before accepting a new session:
   * a slot held by a dead session must come back even when no other sender is asking for one.
   */
  private void expireInbound() {
    long now = System.nanoTime();
    long limit = settings.ackTimeout().toNanos();
    boolean expired =
        inbound
            .values()
            .removeIf(
                in -> {
                  if (in.progress().idleNanos(now) <= limit) {
                    return false;
                  }
                  in.progress().phase("failed");
                  in.progress().end();
                  return true;
                });
    if (expired) {
      publishActive();
    }
  }

  // ------------------------------------------------------------------ operator view

  private void publishActive() {
    List<Progress> all = new ArrayList<>();
    outbound.values().forEach(r -> all.add(r.progress()));
    inbound.values().forEach(i -> all.add(i.progress()));
    activeView = List.copyOf(all);
  }

  /** A snapshot for operators; any thread. */
  public HandoffStatus status() {
    List<TransferInfo> active = activeView.stream().map(Progress::info).toList();
    List<TransferInfo> last;
    synchronized (recent) {
      last = List.copyOf(recent);
    }
    long objects = objectsSent.get();
    long bytes = bytesSent.get();
    for (TransferInfo t : active) {
      if (t.direction() == TransferInfo.Direction.OUTBOUND) {
        objects += t.objects();
        bytes += t.bytes();
      }
    }
    return new HandoffStatus(
        concurrency, active, waitingView, last, completed.get(), failed.get(), objects, bytes);
  }
}
