package dev.partisan.kv.vnode;

import dev.partisan.kv.BKey;
import dev.partisan.kv.backend.Backend;
import dev.partisan.kv.backend.BackendException;
import dev.partisan.kv.object.Dvv;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.MalformedDataException;
import dev.partisan.kv.object.ObjectCodec;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.vnode.VnodeMessages.CoordPutRequest;
import dev.partisan.kv.vnode.VnodeMessages.GetReply;
import dev.partisan.kv.vnode.VnodeMessages.GetRequest;
import dev.partisan.kv.vnode.VnodeMessages.PutReply;
import dev.partisan.kv.vnode.VnodeMessages.ReapRequest;
import dev.partisan.kv.vnode.VnodeMessages.RepairRequest;
import dev.partisan.kv.vnode.VnodeMessages.ReplicaPutRequest;
import dev.partisan.kv.vnode.VnodeMessages.Status;
import dev.partisan.runtime.Actor;
import dev.partisan.runtime.ActorContext;
import dev.partisan.runtime.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns one partition's slice of the backend on this node, as its owner or as a
 * fallback for a down owner. Every read and write of the partition's objects goes through it, one
 * message at a time, so a read-modify-write of an object never races another.
 *
 * <p>State: all fields are owned by this actor.
 */
final class Vnode implements Actor {
  private static final Logger log = LoggerFactory.getLogger(Vnode.class);

  /** Local: retire if this node neither owns the partition nor holds data for it. */
  record RetireCheck() {}

  /** Local: the retirement decided on a {@link RetireCheck}, after earlier messages ran. */
  record Stop() {}

  private final int partition;
  private final String node;
  private final Backend backend;
  private final KeyEpochs epochs;
  private final long maxObjectBytes;
  private final VnodeManager manager;

  Vnode(int partition, String node, Backend backend, long maxObjectBytes, VnodeManager manager) {
    this.partition = partition;
    this.node = node;
    this.backend = backend;
    this.epochs = new KeyEpochs(node, partition, backend.meta());
    this.maxObjectBytes = maxObjectBytes;
    this.manager = manager;
  }

  @Override
  public void receive(ActorContext ctx, Object message) {
    switch (message) {
      case GetRequest g -> get(ctx, g);
      case CoordPutRequest c -> coordinatedPut(ctx, c);
      case ReplicaPutRequest r -> replicaPut(ctx, r);
      case RepairRequest r -> repair(r);
      case ReapRequest r -> reap(r);
      case RetireCheck c -> {
        if (manager.mayRetire(partition)) {
          manager.retired(partition, ctx.self());
          ctx.runtime().tell(ctx.self(), new Stop());
        }
      }
      case Stop s -> ctx.runtime().stop(ctx.self());
      default -> log.warn("vnode {} ignores {}", partition, message.getClass().getSimpleName());
    }
  }

  private KvObject load(BKey key) {
    byte[] bytes = backend.get(partition, key.toStorageKey());
    return bytes == null ? null : ObjectCodec.decode(bytes);
  }

  private void store(BKey key, KvObject object) {
    backend.put(partition, key.toStorageKey(), ObjectCodec.encode(object));
  }

  private void get(ActorContext ctx, GetRequest g) {
    GetReply reply;
    try {
      reply = new GetReply(g.reqId(), partition, node, Status.OK, load(g.key()), null);
    } catch (BackendException e) {
      reply = new GetReply(g.reqId(), partition, node, Status.STORE_FAILED, null, e.getMessage());
    } catch (MalformedDataException e) {
      log.error(
          "vnode {}: stored object for {} is corrupt: {}", partition, g.key(), e.getMessage());
      reply = new GetReply(g.reqId(), partition, node, Status.REJECTED, null, e.getMessage());
    }
    SendResult r = ctx.reply(reply);
    if (r == SendResult.TOO_LARGE) {
      ctx.reply(
          new GetReply(
              g.reqId(), partition, node, Status.TOO_LARGE, null, "object too large to send"));
    }
  }

  private void coordinatedPut(ActorContext ctx, CoordPutRequest c) {
    KvObject result;
    try {
      KvObject stored = load(c.key());
      String actor = epochs.actorFor(stored);
      result =
          Dvv.update(
              stored, c.context(), c.update(), actor, System.currentTimeMillis(), c.resolution());
      if (result.approximateSize() > maxObjectBytes) {
        replyPut(ctx, c.reqId(), Status.TOO_LARGE, null, tooLarge(result));
        return;
      }
      store(c.key(), result);
    } catch (BackendException e) {
      replyPut(ctx, c.reqId(), Status.STORE_FAILED, null, e.getMessage());
      return;
    } catch (MalformedDataException e) {
      replyPut(ctx, c.reqId(), Status.REJECTED, null, e.getMessage());
      return;
    }
    // The coordinator needs the new object to replicate it, whatever returnbody says.
    replyPut(ctx, c.reqId(), Status.OK, result, null);
  }

  private void replicaPut(ActorContext ctx, ReplicaPutRequest r) {
    try {
      KvObject merged = mergeAndStore(r.key(), r.object(), r.resolution());
      if (merged == null) {
        replyPut(ctx, r.reqId(), Status.TOO_LARGE, null, "merged object exceeds the size limit");
        return;
      }
      replyPut(ctx, r.reqId(), Status.OK, r.returnBody() ? merged : null, null);
    } catch (BackendException e) {
      replyPut(ctx, r.reqId(), Status.STORE_FAILED, null, e.getMessage());
    } catch (MalformedDataException e) {
      replyPut(ctx, r.reqId(), Status.REJECTED, null, e.getMessage());
    }
  }

  private void repair(RepairRequest r) {
    try {
      mergeAndStore(r.key(), r.object(), r.resolution());
    } catch (RuntimeException e) {
      log.warn("vnode {}: read repair of {} failed: {}", partition, r.key(), e.getMessage());
    }
  }

  /** Merges {@code incoming} into the stored object; null if the result would be too large. */
  private KvObject mergeAndStore(BKey key, KvObject incoming, Resolution resolution) {
    KvObject stored = load(key);
    KvObject merged = Dvv.merge(stored, incoming, resolution);
    if (merged.sameVersion(stored)) {
      return stored; // already here (a retried or repeated replication): skip the write
    }
    if (merged.approximateSize() > maxObjectBytes) {
      return null;
    }
    store(key, merged);
    return merged;
  }

  private void reap(ReapRequest r) {
    try {
      KvObject stored = load(r.key());
      if (stored != null && stored.isTombstone() && stored.context().equals(r.expected())) {
        backend.delete(partition, r.key().toStorageKey());
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
      ActorContext ctx, long reqId, Status status, KvObject object, String error) {
    SendResult r = ctx.reply(new PutReply(reqId, partition, node, status, object, error));
    if (r == SendResult.TOO_LARGE) {
      // The write happened; only the body does not fit in a frame. Acknowledge without it.
      ctx.reply(new PutReply(reqId, partition, node, status, null, error));
    }
  }
}
