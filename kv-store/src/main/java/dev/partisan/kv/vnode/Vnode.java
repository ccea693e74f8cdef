package dev.partisan.kv.vnode;

import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.kv.vnode.HandoffData.HandoffAck;
import dev.partisan.kv.vnode.HandoffData.HandoffBatch;
import dev.partisan.kv.vnode.VnodeControl.AbortHandoff;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeControl.BeginHandoff;
import dev.partisan.kv.vnode.VnodeControl.ConfirmClean;
import dev.partisan.kv.vnode.VnodeControl.DirtyKeys;
import dev.partisan.kv.vnode.VnodeControl.DropHandedOff;
import dev.partisan.kv.vnode.VnodeControl.Seal;
import dev.partisan.kv.vnode.VnodeControl.TakeDirty;
import dev.partisan.kv.vnode.VnodeRequest.Refusal;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic vnode (riak_core's vnode): the actor that owns one partition on this node, as its
 * owner or as a fallback for a down owner, and runs its lifecycle whatever the partition holds.
 * What the data means (requests, merges, what a handed-off object does) is its {@link
 * VnodeBehaviour}'s business; the KV store's is {@code replica.KvVnode}.
 *
 * <p><b>Requests and bulk work.</b> Requests are served in this actor's turn, one at a time. A
 * received handoff batch is not: it is applied on the node's {@link BulkPool}, so a get never waits
 * behind a 1 MiB batch. The guarantee one mailbox order used to give holds per key: <i>a request
 * (get, put, delete, read repair, reap) and a handoff apply touching the same key never interleave,
 * and run in the order they reached the mailbox, each seeing the other's result.</i> While a batch
 * is on the pool its keys are busy ({@link Deferral}): a request for a busy key, and every message
 * that is not a request (the next batch, handoff controls such as {@link Seal}, tree work, a retire
 * check or {@link Stop}), is held back in arrival order; requests for other keys are served at
 * once. When the pool is done it tells this actor ({@link BatchApplied}), which runs the
 * behaviour's bookkeeping of the apply (hash trees, the dirty set) on its own thread, acknowledges
 * the batch (so the sender's one-batch-in-flight ack is the backpressure), then replays what it
 * held back, in order. So at most one batch per vnode is on the pool, the lifecycle never moves (no
 * sealing, dropping or retiring) while the pool writes the partition, and the pool and this actor
 * only ever touch the backend at once for different keys.
 *
 * <p><b>Handoff.</b> While its partition is being handed off the vnode keeps serving requests and
 * records every key its behaviour writes (the dirty set) so the sender can send those keys again.
 * When the sender {@link Seal seals} it, it stops serving locally and forwards every request to the
 * target, which from then on has the newest data; once the target has confirmed everything, the
 * vnode has its behaviour drop the data and either keeps forwarding (ownership handoff, until the
 * ring makes the target the owner) or retires (hinted handoff).
 *
 * <p><b>Retirement.</b> A vnode of a partition this node neither owns nor holds data for stops, on
 * its own thread so no write races the check, and passes what still reaches it to its successor.
 *
 * <p>State: all fields are owned by this actor; the bulk pool's task sees only the batch and the
 * behaviour's {@link VnodeBehaviour#mergeHandoff} and the backend, and hands its results back by
 * message.
 */
final class Vnode implements Actor, VnodeLifecycle {
  private static final Logger log = LoggerFactory.getLogger(Vnode.class);
  private static final int MAX_FORWARD_HOPS = 3;
  private static final Duration RETIRE_DELAY = Duration.ofSeconds(1);

  /** Local: retire if this node neither owns the partition nor holds data for it. */
  record RetireCheck() {}

  /** Local: the retirement decided on a {@link RetireCheck}, after earlier messages ran. */
  record Stop() {}

  private final int partition;
  private final String node;
  private final VnodeManager manager;
  private final VnodeBehaviour behaviour;
  private final Deferral deferral = new Deferral();
  private ActorRef self; // set on every message: where the bulk pool's results go

  // Handoff: the dirty set is non-null while a handoff of this partition is under way.
  private long handoffId;
  private String handoffTarget;
  private Map<ByteBuffer, Long> dirty;
  private long dirtyCounter;
  private boolean sealed;
  // After an ownership handoff: the node requests are forwarded to (null: serve locally).
  private String forwardTo;
  private long notOwnedSinceNanos;
  private VnodeInfo published;
  private boolean retiring;

  Vnode(int partition, String node, VnodeManager manager, VnodeBehaviour.Factory behaviours) {
    this.partition = partition;
    this.node = node;
    this.manager = manager;
    this.behaviour = behaviours.create(partition, this);
    publish();
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    self = ctx.self();
    if (message instanceof BatchApplied done) {
      batchApplied(ctx, done);
      return;
    }
    if (deferral.mustWait(message)) {
      hold(ctx, message);
      return;
    }
    if (retiring && !(message instanceof Stop) && !(message instanceof RetireCheck)) {
      // Sent to this vnode by someone who looked it up just before it retired: the successor
      // takes it (messages still queued when the actor stops would be lost).
      manager.redeliver(partition, message, ctx.sender(), ctx.channel());
      return;
    }
    switch (message) {
      case VnodeRequest r -> request(ctx, r, node, 0);
      case ForwardedRequest f -> request(ctx, f.vnodeRequest(), f.replyAs(), f.hops());
      case HandoffBatch b -> handoffBatch(ctx, b);
      case BeginHandoff b -> beginHandoff(ctx, b);
      case TakeDirty t ->
          ctx.reply(new DirtyKeys(t.id(), t.id() == handoffId ? copyDirty() : null));
      case ConfirmClean c -> confirmClean(c);
      case Seal s -> seal(ctx, s);
      case AbortHandoff a -> abortHandoff(ctx, a);
      case DropHandedOff d -> dropHandedOff(ctx, d);
      case RetireCheck c -> retireCheck(ctx);
      case Stop s -> ctx.stop();
      default -> {
        if (!behaviour.handle(ctx, message)) {
          log.warn("vnode {} ignores {}", partition, message.getClass().getSimpleName());
        }
      }
    }
  }

  // ------------------------------------------------------------------ requests

  private void request(ActorContext ctx, VnodeRequest r, String replyAs, int hops) {
    String target = sealed ? handoffTarget : forwardTo;
    if (target != null) {
      if (hops < MAX_FORWARD_HOPS && (sealed || manager.isUp(target))) {
        SendResult sent = manager.forward(target, new ForwardedRequest(r, replyAs, hops + 1), ctx);
        if (sent.accepted()) {
          return;
        }
        if (sealed) {
          VnodeRouter.refuse(
              ctx, r, Refusal.REJECTED, "handoff in progress, forward failed", replyAs);
          return;
        }
      } else if (sealed) {
        VnodeRouter.refuse(ctx, r, Refusal.REJECTED, "handoff in progress", replyAs);
        return;
      }
      // The new holder is unreachable: serve here again, as a fallback would.
      log.info("vnode {}: {} is unreachable, serving locally again", partition, target);
      forwardTo = null;
      publish();
    }
    behaviour.serve(ctx, r, replyAs);
  }

  // ------------------------------------------------------------------ VnodeLifecycle

  @Override
  public void written(byte[] storageKey) {
    if (dirty != null) {
      dirty.put(ByteBuffer.wrap(storageKey), ++dirtyCounter);
    }
  }

  @Override
  public void detailsChanged() {
    publish();
  }

  @Override
  public boolean serving() {
    return forwardTo == null && !sealed;
  }

  @Override
  public boolean runBulk(Supplier<Object> work) {
    return manager.runBulk(self, work);
  }

  // ------------------------------------------------------------------ handoff: receiving

  /**
   * Objects handed to this partition (ownership or hinted handoff): applied on the bulk pool, while
   * this vnode holds back whatever touches the batch's keys ({@link Deferral}); acknowledged once
   * applied ({@link #batchApplied}).
   */
  private void handoffBatch(ActorContext ctx, HandoffBatch b) {
    if (sealed) {
      // Our own handoff is finishing; the sender retries shortly and reaches the new holder.
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "partition " + partition + " is sealed"));
      return;
    }
    if (forwardTo != null) {
      // Data sent here on purpose (the partition moves back, or a fallback returns data): hold it.
      forwardTo = null;
      publish();
    }
    deferral.start(ctx, b);
    VnodeBehaviour applier = behaviour;
    int p = partition;
    Backend backend = manager.backend();
    BulkWriteMode mode = manager.handoffWrites();
    if (!manager.runBulk(ctx.self(), () -> BatchApplied.apply(p, applier, b, backend, mode))) {
      deferral.finish(ctx);
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "node " + node + " is closing"));
      // Messages held behind it (when it was itself replayed) must not wait for nothing.
      deferral.replay(ctx, this::receive);
    }
  }

  /** The pool applied a batch: record what changed, acknowledge, serve what waited for it. */
  private void batchApplied(ActorContext ctx, BatchApplied done) {
    ActorContext batchSender = deferral.finish(ctx);
    for (Runnable record : done.records()) {
      record.run();
    }
    if (done.skipped() > 0) {
      log.warn("vnode {}: {} handed-off object(s) could not be stored", partition, done.skipped());
    }
    batchSender.reply(new HandoffAck(done.id(), done.seq(), done.error() == null, done.error()));
    deferral.replay(ctx, this::receive);
  }

  /** Holds back a message until the batch under way is applied (a busy key, or not a request). */
  private void hold(ActorContext ctx, Object message) {
    if (deferral.held() >= manager.mailboxCapacity()) {
      switch (message) {
        case VnodeRequest r -> {
          VnodeRouter.refuse(ctx, r, Refusal.OVERLOADED, "vnode " + partition + " is busy", node);
          return;
        }
        case ForwardedRequest f -> {
          VnodeRouter.refuse(
              ctx,
              f.vnodeRequest(),
              Refusal.OVERLOADED,
              "vnode " + partition + " is busy",
              f.replyAs());
          return;
        }
        default -> {} // lifecycle messages are few: always kept
      }
    }
    deferral.hold(ctx, message);
  }

  // ------------------------------------------------------------------ handoff: sending

  private void beginHandoff(ActorContext ctx, BeginHandoff b) {
    if (sealed && b.id() != handoffId) {
      ctx.reply(new Ack(b.id(), false, "another handoff (" + handoffId + ") is sealing"));
      return;
    }
    boolean kept = dirty != null && b.target().equals(handoffTarget);
    if (!kept) {
      dirty = new HashMap<>();
    }
    handoffId = b.id();
    handoffTarget = b.target();
    sealed = false;
    forwardTo = null;
    publish();
    // "kept": the keys written since an earlier, interrupted handoff to this target are still
    // recorded, so that handoff may resume where it stopped.
    ctx.reply(new Ack(b.id(), true, kept ? "kept" : "new"));
  }

  private Map<ByteBuffer, Long> copyDirty() {
    return dirty == null ? Map.of() : new HashMap<>(dirty);
  }

  private void confirmClean(ConfirmClean c) {
    if (c.id() != handoffId || dirty == null) {
      return;
    }
    c.keys().forEach((k, counter) -> dirty.remove(k, counter));
  }

  private void seal(ActorContext ctx, Seal s) {
    if (s.id() != handoffId || dirty == null) {
      ctx.reply(new DirtyKeys(s.id(), null));
      return;
    }
    sealed = true;
    publish();
    ctx.reply(new DirtyKeys(s.id(), copyDirty()));
  }

  private void abortHandoff(ActorContext ctx, AbortHandoff a) {
    if (a.id() == handoffId) {
      sealed = false;
      if (a.forget()) {
        dirty = null;
        handoffTarget = null;
      }
      publish();
    }
    ctx.reply(new Ack(a.id(), a.id() == handoffId, null));
  }

  private void dropHandedOff(ActorContext ctx, DropHandedOff d) {
    if (d.id() != handoffId || !sealed) {
      ctx.reply(new Ack(d.id(), false, "not sealed for handoff " + d.id()));
      return;
    }
    try {
      behaviour.drop(ctx);
    } catch (BackendException e) {
      ctx.reply(new Ack(d.id(), false, "drop failed: " + e.getMessage()));
      return;
    }
    forwardTo = d.forward() ? handoffTarget : null;
    notOwnedSinceNanos = 0;
    dirty = null;
    sealed = false;
    handoffTarget = null;
    publish();
    log.info(
        "vnode {} on {}: handed off and dropped{}",
        partition,
        node,
        forwardTo == null ? "" : "; forwarding to " + forwardTo);
    ctx.reply(new Ack(d.id(), true, null));
    if (forwardTo == null) {
      ctx.tell(ctx.self(), new RetireCheck());
    }
  }

  // ------------------------------------------------------------------ lifecycle

  private void retireCheck(ActorContext ctx) {
    if (sealed || behaviour.busy()) {
      return; // a handoff is finishing, or the behaviour has work under way (a tree build)
    }
    // A handoff that is still recording (dirty != null) does not hold the vnode back: if the
    // partition is empty and not owned there is nothing left to hand off, and a sender that still
    // talks to this vnode fails its next step and starts over with a successor.
    if (forwardTo != null) {
      if (manager.owns(partition)) {
        notOwnedSinceNanos = 0;
        return; // the ring has not made the target the owner yet
      }
      long now = System.nanoTime();
      if (notOwnedSinceNanos == 0) {
        notOwnedSinceNanos = now;
      }
      if (now - notOwnedSinceNanos < manager.forwardingGrace().toNanos()) {
        return; // keep forwarding stragglers that still use the old ring
      }
    }
    if (manager.mayRetire(partition)) {
      manager.retired(partition, ctx.self());
      retiring = true;
      // Stop a little later, passing on whatever still arrives meanwhile (see receive).
      ctx.schedule(new Stop(), RETIRE_DELAY);
    }
  }

  private String mode() {
    if (sealed) {
      return "sealed";
    }
    if (forwardTo != null) {
      return "forwarding";
    }
    return dirty != null ? "handoff" : "active";
  }

  private void publish() {
    published = new VnodeInfo(partition, mode(), behaviour.details());
    manager.publish(published);
  }

  @Override
  public void stopped() {
    manager.unpublish(published);
  }
}
