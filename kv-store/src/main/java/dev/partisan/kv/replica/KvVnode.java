package dev.partisan.kv.replica;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.aae.TreeControl.ReadTree;
import dev.partisan.kv.aae.TreeControl.RebuildTrees;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.datatype.DatatypeException;
import dev.partisan.kv.datatype.DtWrites;
import dev.partisan.kv.object.Dvv;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.object.VersionVector;
import dev.partisan.kv.replica.VnodeMessages.CoordPutRequest;
import dev.partisan.kv.replica.VnodeMessages.GetReply;
import dev.partisan.kv.replica.VnodeMessages.GetRequest;
import dev.partisan.kv.replica.VnodeMessages.PutReply;
import dev.partisan.kv.replica.VnodeMessages.ReapRequest;
import dev.partisan.kv.replica.VnodeMessages.RepairRequest;
import dev.partisan.kv.replica.VnodeMessages.ReplicaPutRequest;
import dev.partisan.kv.replica.VnodeMessages.Status;
import dev.partisan.kv.vnode.HandoffData.HandoffItem;
import dev.partisan.kv.vnode.HandoffMerge;
import dev.partisan.kv.vnode.VnodeBehaviour;
import dev.partisan.kv.vnode.VnodeInfo;
import dev.partisan.kv.vnode.VnodeLifecycle;
import dev.partisan.kv.vnode.VnodeRequest;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.SendResult;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KV behaviour of a vnode (riak_kv's vnode): the partition's objects as dotted version vector
 * sets. It serves reads, coordinated and replicated writes ({@link Dvv}), read repair and tombstone
 * reaping, merges handed-off objects the same way as replicated ones, and keeps the partition's
 * hash trees up to date on every change ({@link VnodeTrees}). Whether a request is served here at
 * all (handoff sealing, forwarding, retirement) is decided by the generic vnode that drives it.
 *
 * <p>State: owned by its vnode's actor (every method runs on it).
 */
public final class KvVnode implements VnodeBehaviour {
  private static final Logger log = LoggerFactory.getLogger(KvVnode.class);

  /**
   * What a KV vnode needs beyond its partition.
   *
   * @param props the bucket properties of a key (resolution, n_val for the trees)
   * @param ringSize the current ring size
   * @param aaeEnabled whether writes update the hash trees
   * @param aaeSegments segments per hash tree
   * @param maxObjectBytes the largest object (all siblings) a vnode stores
   */
  public record Settings(
      Function<BKey, BucketProps> props,
      IntSupplier ringSize,
      boolean aaeEnabled,
      int aaeSegments,
      long maxObjectBytes) {}

  /** Makes the KV behaviour of each vnode of the node {@code node}. */
  public static VnodeBehaviour.Factory factory(String node, Backend backend, Settings settings) {
    return (partition, vnode) -> new KvVnode(partition, node, backend, settings, vnode);
  }

  private final int partition;
  private final Backend backend;
  private final KeyEpochs epochs;
  private final Function<BKey, BucketProps> props;
  private final long maxObjectBytes;
  private final VnodeLifecycle vnode;
  private final VnodeTrees trees;

  private KvVnode(
      int partition, String node, Backend backend, Settings settings, VnodeLifecycle vnode) {
    this.partition = partition;
    this.backend = backend;
    this.epochs = new KeyEpochs(node, partition, backend.meta());
    this.props = settings.props();
    this.maxObjectBytes = settings.maxObjectBytes();
    this.vnode = vnode;
    this.trees = new VnodeTrees(partition, backend, settings, vnode);
  }

  @Override
  public void serve(ActorContext ctx, VnodeRequest request, String replyAs) {
    if (!(request instanceof KvRequest r)) {
      log.warn("vnode {} ignores {}", partition, request.getClass().getSimpleName());
      return;
    }
    switch (r) {
      case GetRequest g -> get(ctx, g, replyAs);
      case CoordPutRequest c -> coordinatedPut(ctx, c, replyAs);
      case ReplicaPutRequest p -> replicaPut(ctx, p, replyAs);
      case RepairRequest p -> repair(p);
      case ReapRequest p -> reap(p);
    }
  }

  @Override
  public boolean handle(ActorContext ctx, Object message) {
    switch (message) {
      case ReadTree t -> ctx.reply(trees.tree(t.treeId()));
      case RebuildTrees r -> trees.rebuild(ctx);
      case VnodeTrees.ChunkRead c -> trees.chunkRead(ctx, c);
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean busy() {
    return trees.rebuilding(); // a tree build is scanning the partition
  }

  @Override
  public VnodeInfo.Details details() {
    return trees.summary();
  }

  // ------------------------------------------------------------------ storage

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

  /** Bookkeeping after every change of a stored object: hash trees and the handoff's dirty set. */
  private void changed(BKey key, byte[] storageKey, byte[] oldBytes, byte[] newBytes) {
    trees.update(key, storageKey, oldBytes, newBytes);
    vnode.written(storageKey);
  }

  /** Merges {@code incoming} into the stored object; null if the result would be too large. */
  private KvObject mergeAndStore(
      BKey key, byte[] storageKey, KvObject incoming, Resolution resolution) {
    Loaded stored = load(storageKey);
    KvObject merged = merge(stored.object(), incoming, resolution);
    if (merged != null && merged != stored.object()) {
      store(key, storageKey, stored, merged);
    }
    return merged;
  }

  /**
   * The merge of {@code incoming} into {@code stored}: {@code stored} itself when that changes
   * nothing (a retried or repeated replication: no write needed), null when the result would be too
   * large. Pure, so a bulk thread may call it too.
   */
  private KvObject merge(KvObject stored, KvObject incoming, Resolution resolution) {
    KvObject merged = Dvv.merge(stored, incoming, resolution);
    if (merged.sameVersion(stored)) {
      return stored;
    }
    return merged.approximateSize() > maxObjectBytes ? null : merged;
  }

  // ------------------------------------------------------------------ requests

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
      long now = System.currentTimeMillis();
      result =
          c.datatypeOp() == null
              ? Dvv.update(stored.object(), c.context(), c.update(), actor, now, c.resolution())
              : datatypeUpdate(stored.object(), c, actor, now);
      if (result.approximateSize() > maxObjectBytes) {
        replyPut(ctx, c.reqId(), Status.TOO_LARGE, null, tooLarge(result), replyAs);
        return;
      }
      store(c.key(), storageKey, stored, result);
    } catch (BackendException e) {
      replyPut(ctx, c.reqId(), Status.STORE_FAILED, null, e.getMessage(), replyAs);
      return;
    } catch (MalformedDataException | DatatypeException e) {
      replyPut(ctx, c.reqId(), Status.REJECTED, null, e.getMessage(), replyAs);
      return;
    }
    // The coordinator needs the new object to replicate it, whatever returnbody says.
    replyPut(ctx, c.reqId(), Status.OK, result, null, replyAs);
  }

  /**
   * A data-type update: the operation applied, under this vnode's actor for the key, to the merge
   * of the siblings stored here, and stored as one value that supersedes them all (the stored
   * context is the write's context). Applying it here, serially, is what keeps an actor's counts
   * from being issued twice; replicas and readers merge concurrent coordinators' values.
   */
  private static KvObject datatypeUpdate(
      KvObject stored, CoordPutRequest c, String actor, long now) {
    VersionVector seen = stored == null ? VersionVector.EMPTY : stored.context();
    return Dvv.update(
        stored,
        seen,
        DtWrites.apply(stored, c.datatypeOp(), actor, now),
        actor,
        now,
        c.resolution());
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

  // ------------------------------------------------------------------ handoff

  /**
   * A handed-off object: merged with what the partition holds, as a replicated write is. Runs on a
   * bulk thread while the vnode holds back requests for this key ({@link VnodeBehaviour}): it only
   * reads the backend, and returns what to store with the bookkeeping of the change (hash trees,
   * dirty set) for the vnode's thread.
   */
  @Override
  public HandoffMerge mergeHandoff(HandoffItem item) {
    byte[] storageKey = item.key();
    BKey key = BKey.fromStorageKey(storageKey);
    Resolution resolution = props.apply(key).resolution();
    byte[] oldBytes = backend.get(partition, storageKey);
    byte[] newBytes;
    if (oldBytes == null && storableAsIs(item, resolution)) {
      newBytes = item.value();
    } else {
      KvObject stored = oldBytes == null ? null : ObjectCodec.decode(oldBytes);
      KvObject merged = merge(stored, ObjectCodec.decode(item.value()), resolution);
      if (merged == null) {
        return null;
      }
      if (merged == stored) {
        return HandoffMerge.unchanged();
      }
      newBytes = ObjectCodec.encode(merged);
    }
    return new HandoffMerge(newBytes, () -> changed(key, storageKey, oldBytes, newBytes));
  }

  /**
   * The common case of a handoff: this vnode has nothing for the key, so the merge is the incoming
   * object itself, and its encoded form can be stored as it came, without decoding and re-encoding
   * the value. False when the general merge is needed.
   */
  private boolean storableAsIs(HandoffItem item, Resolution resolution) {
    if (item.value().length > maxObjectBytes) {
      return false; // let the merge path refuse it
    }
    ObjectCodec.Shape shape = ObjectCodec.shape(item.value());
    return shape.siblings() <= 1 || resolution == Resolution.KEEP_SIBLINGS;
  }

  @Override
  public void drop(ActorContext ctx) {
    backend.dropPartition(partition);
    trees.cleared(ctx);
  }
}
