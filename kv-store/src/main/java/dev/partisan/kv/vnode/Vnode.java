package dev.partisan.kv.vnode;

import dev.partisan.kv.BKey;
import dev.partisan.kv.aae.AaeTrees;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.handoff.HandoffMessages.HandoffAck;
import dev.partisan.kv.handoff.HandoffMessages.HandoffBatch;
import dev.partisan.kv.handoff.HandoffMessages.HandoffItem;
import dev.partisan.kv.object.Dvv;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.vnode.VnodeControl.AbortHandoff;
import dev.partisan.kv.vnode.VnodeControl.Ack;
import dev.partisan.kv.vnode.VnodeControl.BeginHandoff;
import dev.partisan.kv.vnode.VnodeControl.ConfirmClean;
import dev.partisan.kv.vnode.VnodeControl.DirtyKeys;
import dev.partisan.kv.vnode.VnodeControl.DropHandedOff;
import dev.partisan.kv.vnode.VnodeControl.RebuildTrees;
import dev.partisan.kv.vnode.VnodeControl.Seal;
import dev.partisan.kv.vnode.VnodeControl.TakeDirty;
import dev.partisan.kv.vnode.VnodeControl.Tree;
import dev.partisan.kv.vnode.VnodeControl.TreeRequest;
import dev.partisan.kv.vnode.VnodeControl.Trees;
import dev.partisan.kv.vnode.VnodeControl.TreesRequest;
import dev.partisan.kv.vnode.VnodeControl.VnodeInfo;
import dev.partisan.kv.vnode.VnodeMessages.CoordPutRequest;
import dev.partisan.kv.vnode.VnodeMessages.ForwardedRequest;
import dev.partisan.kv.vnode.VnodeMessages.GetReply;
import dev.partisan.kv.vnode.VnodeMessages.GetRequest;
import dev.partisan.kv.vnode.VnodeMessages.PutReply;
import dev.partisan.kv.vnode.VnodeMessages.ReapRequest;
import dev.partisan.kv.vnode.VnodeMessages.RepairRequest;
import dev.partisan.kv.vnode.VnodeMessages.ReplicaPutRequest;
import dev.partisan.kv.vnode.VnodeMessages.Status;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.ActorRef;
import dev.partisan.runtime.SendResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns one partition's slice of the backend on this node, as its owner or as a
 * fallback for a down owner. Every read and write of the partition's objects goes through it, one
 * message at a time, so a read-modify-write of an object never races another.
 *
 * <p><b>Handoff.</b> While its partition is being handed off the vnode keeps serving requests and
 * records every key it writes (the dirty set) so the sender can send those keys again. When the
 * sender {@link Seal seals} it, it stops serving locally and forwards every request to the target,
 * which from then on has the newest data; once the target has confirmed everything, the vnode
 * deletes its copy and either keeps forwarding (ownership handoff, until the ring makes the target
 * the owner) or retires (hinted handoff).
 *
 * <p><b>Anti-entropy.</b> Every write updates the partition's hash trees ({@link AaeTrees}); trees
 * are rebuilt from the backend in chunks interleaved with requests.
 *
 * <p>State: all fields are owned by this actor.
 */
final class Vnode implements Actor {
  private static final Logger log = LoggerFactory.getLogger(Vnode.class);
  private static final int MAX_FORWARD_HOPS = 3;
  private static final int BUILD_CHUNK_KEYS = 1000;
  private static final long RETIRE_DELAY_MS = 1000;
  private static final long BUILD_CHUNK_BYTES = 4L * 1024 * 1024;

  /** Local: retire if this node neither owns the partition nor holds data for it. */
  record RetireCheck() {}

  /** Local: the retirement decided on a {@link RetireCheck}, after earlier messages ran. */
  record Stop() {}

  /** Local: scan the next chunk of the partition into the building trees. */
  record BuildChunk() {}

  private final int partition;
  private final String node;
  private final Backend backend;
  private final KeyEpochs epochs;
  private final long maxObjectBytes;
  private final VnodeManager manager;
  private final AaeTrees trees;

  // Handoff: the dirty set is non-null while a handoff of this partition is under way.
  private long handoffId;
  private String handoffTarget;
  private Map<ByteBuffer, Long> dirty;
  private long dirtyCounter;
  private boolean sealed;
  // After an ownership handoff: the node requests are forwarded to (null: serve locally).
  private String forwardTo;
  private long notOwnedSinceNanos;
  private final List<ActorRef> rebuildWaiters = new ArrayList<>();
  private VnodeInfo published;
  private boolean retiring;

  Vnode(int partition, String node, Backend backend, long maxObjectBytes, VnodeManager manager) {
    this.partition = partition;
    this.node = node;
    this.backend = backend;
    this.epochs = new KeyEpochs(node, partition, backend.meta());
    this.maxObjectBytes = maxObjectBytes;
    this.manager = manager;
    this.trees = new AaeTrees(manager.aaeSegments());
    if (backend.isEmpty(partition)) {
      trees.clear(System.currentTimeMillis()); // nothing to scan: the empty trees are exact
    }
    publish();
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    if (retiring && !(message instanceof Stop) && !(message instanceof RetireCheck)) {
      // Sent to this vnode by someone who looked it up just before it retired: the successor
      // takes it (messages still queued when the actor stops would be lost).
      manager.redeliver(partition, message, ctx.sender(), ctx.channel());
      return;
    }
    switch (message) {
      case GetRequest g -> request(ctx, g, node, 0);
      case CoordPutRequest c -> request(ctx, c, node, 0);
      case ReplicaPutRequest r -> request(ctx, r, node, 0);
      case RepairRequest r -> request(ctx, r, node, 0);
      case ReapRequest r -> request(ctx, r, node, 0);
      case ForwardedRequest f -> request(ctx, f.vnodeRequest(), f.replyAs(), f.hops());
      case HandoffBatch b -> handoffBatch(ctx, b);
      case BeginHandoff b -> beginHandoff(ctx, b);
      case TakeDirty t ->
          ctx.reply(new DirtyKeys(t.id(), t.id() == handoffId ? copyDirty() : null));
      case ConfirmClean c -> confirmClean(c);
      case Seal s -> seal(ctx, s);
      case AbortHandoff a -> abortHandoff(ctx, a);
      case DropHandedOff d -> dropHandedOff(ctx, d);
      case TreesRequest t -> ctx.reply(treesSnapshot());
      case TreeRequest t -> ctx.reply(new Tree(treesTrusted(), trees.snapshot(t.treeId())));
      case RebuildTrees r -> rebuild(ctx);
      case BuildChunk b -> buildChunk(ctx);
      case RetireCheck c -> retireCheck(ctx);
      case Stop s -> ctx.runtime().stop(ctx.self());
      default -> log.warn("vnode {} ignores {}", partition, message.getClass().getSimpleName());
    }
  }

  // ------------------------------------------------------------------ requests

  private void request(ActorContext ctx, Object request, String replyAs, int hops) {
    VnodeRequest r = (VnodeRequest) request;
    String target = sealed ? handoffTarget : forwardTo;
    if (target != null) {
      if (hops < MAX_FORWARD_HOPS && (sealed || manager.isUp(target))) {
        SendResult sent = manager.forward(target, new ForwardedRequest(r, replyAs, hops + 1), ctx);
        if (sent.accepted()) {
          return;
        }
        if (sealed) {
          VnodeRouter.refuse(
              ctx, r, Status.REJECTED, "handoff in progress, forward failed", replyAs);
          return;
        }
      } else if (sealed) {
        VnodeRouter.refuse(ctx, r, Status.REJECTED, "handoff in progress", replyAs);
        return;
      }
      // The new holder is unreachable: serve here again, as a fallback would.
      log.info("vnode {}: {} is unreachable, serving locally again", partition, target);
      forwardTo = null;
      publish();
    }
    switch (r) {
      case GetRequest g -> get(ctx, g, replyAs);
      case CoordPutRequest c -> coordinatedPut(ctx, c, replyAs);
      case ReplicaPutRequest p -> replicaPut(ctx, p, replyAs);
      case RepairRequest p -> repair(p);
      case ReapRequest p -> reap(p);
    }
  }

  /** A stored object, with its encoded form (for the hash trees). */
  private record Loaded(byte[] bytes, KvObject object) {
    static final Loaded NONE = new Loaded(null, null);
  }

  private Loaded load(byte[] storageKey) {
    byte[] bytes = backend.get(partition, storageKey);
    return bytes == null ? Loaded.NONE : new Loaded(bytes, ObjectCodec.decode(bytes));
  }

  private void store(BKey key, byte[] storageKey, Loaded old, KvObject object) {
    byte[] encoded = ObjectCodec.encode(object);
    backend.put(partition, storageKey, encoded);
    changed(key, storageKey, old.bytes(), encoded);
  }

  /** Bookkeeping after every change of a stored object: hash trees and the dirty set. */
  private void changed(BKey key, byte[] storageKey, byte[] oldBytes, byte[] newBytes) {
    if (manager.aaeEnabled()) {
      trees.replace(
          AaeTrees.treeFor(key, partition, manager.ringSize(), manager.props(key).nVal()),
          storageKey,
          oldBytes,
          newBytes);
      if (trees.takeTreeSetChanged()) {
        publish(); // a first key of a new preference list: the AAE manager must see its tree
      }
    }
    if (dirty != null) {
      dirty.put(ByteBuffer.wrap(storageKey), ++dirtyCounter);
    }
  }

  private void get(ActorContext ctx, GetRequest g, String replyAs) {
    GetReply reply;
    try {
      reply =
          new GetReply(
              g.reqId(),
              partition,
              replyAs,
              Status.OK,
              load(g.key().toStorageKey()).object(),
              null);
    } catch (BackendException e) {
      reply =
          new GetReply(g.reqId(), partition, replyAs, Status.STORE_FAILED, null, e.getMessage());
    } catch (MalformedDataException e) {
      log.error(
          "vnode {}: stored object for {} is corrupt: {}", partition, g.key(), e.getMessage());
      reply = new GetReply(g.reqId(), partition, replyAs, Status.REJECTED, null, e.getMessage());
    }
    SendResult r = ctx.reply(reply);
    if (r == SendResult.TOO_LARGE) {
      ctx.reply(
          new GetReply(
              g.reqId(), partition, replyAs, Status.TOO_LARGE, null, "object too large to send"));
    }
  }

  private void coordinatedPut(ActorContext ctx, CoordPutRequest c, String replyAs) {
    KvObject result;
    try {
      byte[] storageKey = c.key().toStorageKey();
      Loaded stored = load(storageKey);
      String actor = epochs.actorFor(stored.object());
      result =
          Dvv.update(
              stored.object(),
              c.context(),
              c.update(),
              actor,
              System.currentTimeMillis(),
              c.resolution());
      if (result.approximateSize() > maxObjectBytes) {
        replyPut(ctx, c.reqId(), Status.TOO_LARGE, null, tooLarge(result), replyAs);
        return;
      }
      store(c.key(), storageKey, stored, result);
    } catch (BackendException e) {
      replyPut(ctx, c.reqId(), Status.STORE_FAILED, null, e.getMessage(), replyAs);
      return;
    } catch (MalformedDataException e) {
      replyPut(ctx, c.reqId(), Status.REJECTED, null, e.getMessage(), replyAs);
      return;
    }
    // The coordinator needs the new object to replicate it, whatever returnbody says.
    replyPut(ctx, c.reqId(), Status.OK, result, null, replyAs);
  }

  private void replicaPut(ActorContext ctx, ReplicaPutRequest r, String replyAs) {
    try {
      KvObject merged = mergeAndStore(r.key(), r.key().toStorageKey(), r.object(), r.resolution());
      if (merged == null) {
        replyPut(
            ctx,
            r.reqId(),
            Status.TOO_LARGE,
            null,
            "merged object exceeds the size limit",
            replyAs);
        return;
      }
      replyPut(ctx, r.reqId(), Status.OK, r.returnBody() ? merged : null, null, replyAs);
    } catch (BackendException e) {
      replyPut(ctx, r.reqId(), Status.STORE_FAILED, null, e.getMessage(), replyAs);
    } catch (MalformedDataException e) {
      replyPut(ctx, r.reqId(), Status.REJECTED, null, e.getMessage(), replyAs);
    }
  }

  private void repair(RepairRequest r) {
    try {
      mergeAndStore(r.key(), r.key().toStorageKey(), r.object(), r.resolution());
    } catch (RuntimeException e) {
      log.warn("vnode {}: read repair of {} failed: {}", partition, r.key(), e.getMessage());
    }
  }

  /** Merges {@code incoming} into the stored object; null if the result would be too large. */
  private KvObject mergeAndStore(
      BKey key, byte[] storageKey, KvObject incoming, Resolution resolution) {
    Loaded stored = load(storageKey);
    KvObject merged = Dvv.merge(stored.object(), incoming, resolution);
    if (merged.sameVersion(stored.object())) {
      return stored.object(); // already here (a retried or repeated replication): skip the write
    }
    if (merged.approximateSize() > maxObjectBytes) {
      return null;
    }
    store(key, storageKey, stored, merged);
    return merged;
  }

  private void reap(ReapRequest r) {
    try {
      byte[] storageKey = r.key().toStorageKey();
      Loaded stored = load(storageKey);
      if (stored.object() != null
          && stored.object().isTombstone()
          && stored.object().context().equals(r.expected())) {
        backend.delete(partition, storageKey);
        changed(r.key(), storageKey, stored.bytes(), null);
        log.debug("vnode {}: reaped tombstone of {}", partition, r.key());
      }
    } catch (RuntimeException e) {
      log.warn("vnode {}: reaping {} failed: {}", partition, r.key(), e.getMessage());
    }
  }

  private String tooLarge(KvObject o) {
    return "the object would be "
        + o.approximateSize()
        + " bytes with "
        + o.siblings().size()
        + " sibling(s), over the limit of "
        + maxObjectBytes
        + ": resolve its siblings first";
  }

  private void replyPut(
      ActorContext ctx, long reqId, Status status, KvObject object, String error, String replyAs) {
    SendResult r = ctx.reply(new PutReply(reqId, partition, replyAs, status, object, error));
    if (r == SendResult.TOO_LARGE) {
      // The write happened; only the body does not fit in a frame. Acknowledge without it.
      ctx.reply(new PutReply(reqId, partition, replyAs, status, null, error));
    }
  }

  // ------------------------------------------------------------------ handoff: receiving

  /** Objects handed to this partition (ownership or hinted handoff): merge each, then ack. */
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
    int skipped = 0;
    try {
      for (HandoffItem item : b.items()) {
        try {
          BKey key = BKey.fromStorageKey(item.key());
          Resolution resolution = manager.props(key).resolution();
          if (!storeIfAbsent(key, item, resolution)) {
            KvObject incoming = ObjectCodec.decode(item.value());
            if (mergeAndStore(key, item.key(), incoming, resolution) == null) {
              skipped++;
            }
          }
        } catch (IllegalArgumentException e) { // malformed key or object
          skipped++;
          log.error(
              "vnode {}: dropping a malformed handed-off object: {}", partition, e.getMessage());
        }
      }
    } catch (BackendException e) {
      ctx.reply(new HandoffAck(b.id(), b.seq(), false, "store failed: " + e.getMessage()));
      return;
    }
    if (skipped > 0) {
      log.warn("vnode {}: {} handed-off object(s) could not be stored", partition, skipped);
    }
    ctx.reply(new HandoffAck(b.id(), b.seq(), true, null));
  }

  /**
   * The common case of a handoff: this vnode has nothing for the key, so the merge is the incoming
   * object itself. Its encoded form is checked and stored as it came, without decoding and
   * re-encoding the value. False when the general merge is needed.
   */
  private boolean storeIfAbsent(BKey key, HandoffItem item, Resolution resolution) {
    if (item.value().length > maxObjectBytes) {
      return false; // let the merge path refuse it
    }
    ObjectCodec.Shape shape = ObjectCodec.shape(item.value());
    if (shape.siblings() > 1 && resolution != Resolution.KEEP_SIBLINGS) {
      return false; // needs resolving
    }
    if (backend.get(partition, item.key()) != null) {
      return false;
    }
    backend.put(partition, item.key(), item.value());
    changed(key, item.key(), null, item.value());
    return true;
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
      backend.dropPartition(partition);
    } catch (BackendException e) {
      ctx.reply(new Ack(d.id(), false, "drop failed: " + e.getMessage()));
      return;
    }
    trees.clear(System.currentTimeMillis());
    answerRebuildWaiters(ctx);
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
      ctx.runtime().tell(ctx.self(), new RetireCheck());
    }
  }

  // ------------------------------------------------------------------ anti-entropy trees

  private Trees treesSnapshot() {
    Map<Long, long[]> copy = new HashMap<>();
    for (Long id : trees.treeIds()) {
      copy.put(id, trees.snapshot(id));
    }
    return new Trees(partition, treesTrusted(), copy);
  }

  /** Trees worth comparing: built, and of a partition this vnode still serves. */
  private boolean treesTrusted() {
    return trees.built() && forwardTo == null && !sealed;
  }

  private void rebuild(ActorContext ctx) {
    if (ctx.sender() != null) {
      rebuildWaiters.add(ctx.sender());
    }
    if (!trees.rebuilding()) {
      trees.startRebuild();
      ctx.runtime().tell(ctx.self(), new BuildChunk());
    }
  }

  private void buildChunk(ActorContext ctx) {
    if (!trees.rebuilding()) {
      return;
    }
    int[] count = {0};
    long[] bytes = {0};
    int ringSize = manager.ringSize();
    try {
      backend.fold(
          partition,
          trees.cursor(),
          (k, v) -> {
            long treeId;
            try {
              BKey key = BKey.fromStorageKey(k);
              treeId = AaeTrees.treeFor(key, partition, ringSize, manager.props(key).nVal());
              trees.addScanned(treeId, k, v);
            } catch (IllegalArgumentException e) {
              log.error(
                  "vnode {}: unreadable stored key or object skipped by the tree build", partition);
            }
            count[0]++;
            bytes[0] += k.length + v.length;
            return count[0] < BUILD_CHUNK_KEYS && bytes[0] < BUILD_CHUNK_BYTES;
          });
    } catch (BackendException e) {
      log.warn("vnode {}: tree build failed: {}", partition, e.getMessage());
      trees.startRebuild(); // start over on the next request
      return;
    }
    if (count[0] >= BUILD_CHUNK_KEYS || bytes[0] >= BUILD_CHUNK_BYTES) {
      ctx.runtime().tell(ctx.self(), new BuildChunk());
      return;
    }
    trees.finishRebuild(System.currentTimeMillis());
    publish();
    answerRebuildWaiters(ctx);
  }

  private void answerRebuildWaiters(ActorContext ctx) {
    for (ActorRef waiter : rebuildWaiters) {
      ctx.runtime().tell(waiter, new Ack(partition, true, null));
    }
    rebuildWaiters.clear();
  }

  // ------------------------------------------------------------------ lifecycle

  private void retireCheck(ActorContext ctx) {
    if (sealed || trees.rebuilding()) {
      return; // a handoff is finishing, or a tree build is scanning
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
      ActorRef me = ctx.self();
      ctx.runtime()
          .scheduler()
          .schedule(
              () -> ctx.runtime().tell(me, new Stop()), RETIRE_DELAY_MS, TimeUnit.MILLISECONDS);
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
    published =
        new VnodeInfo(
            partition,
            mode(),
            trees.built(),
            trees.builtAtMillis(),
            trees.keys(),
            List.copyOf(trees.treeIds()));
    manager.publish(published);
  }

  @Override
  public void stopped() {
    manager.unpublish(published);
  }
}
