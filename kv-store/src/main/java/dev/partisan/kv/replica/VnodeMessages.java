package dev.partisan.kv.replica;

import dev.partisan.kv.BKey;
import dev.partisan.kv.object.KvObject;
import dev.partisan.kv.object.Resolution;
import dev.partisan.kv.object.Update;
import dev.partisan.kv.object.VersionVector;

/**
 * The coordinator <-> vnode protocol of the KV store. All are wire records (see {@code KvTypes}); a
 * request a handed-off vnode passes on travels inside the vnode layer's {@code ForwardedRequest}.
 */
public final class VnodeMessages {
  private VnodeMessages() {}

  /** How a vnode answered. */
  public enum Status {
    /** Done; for writes, the object is in the backend (counts for W, PW and DW). */
    OK,
    /** The vnode's mailbox was full; nothing was done. */
    OVERLOADED,
    /** The write would make the object larger than the node's limit; nothing was written. */
    TOO_LARGE,
    /** The request reached the vnode but the backend failed (counts for W, not for DW). */
    STORE_FAILED,
    /** The request was invalid (bad partition, corrupt stored object). */
    REJECTED
  }

  /** Read the vnode's object for {@code key}. */
  public record GetRequest(long reqId, int partition, BKey key) implements KvRequest {}

  /**
   * A client write this vnode coordinates: it picks the new version's dot. For a data-type update
   * {@code datatypeOp} is the encoded operation (see {@code datatype.OpCodec}), which the vnode
   * applies to the merge of its stored siblings, and {@code update}/{@code context} are unused;
   * null for a plain write.
   */
  public record CoordPutRequest(
      long reqId,
      int partition,
      BKey key,
      VersionVector context,
      Update update,
      Resolution resolution,
      boolean returnBody,
      byte[] datatypeOp)
      implements KvRequest {}

  /** Merge the coordinator's resulting object into this replica. */
  public record ReplicaPutRequest(
      long reqId,
      int partition,
      BKey key,
      KvObject object,
      Resolution resolution,
      boolean returnBody)
      implements KvRequest {}

  /** Read repair: merge {@code object} in; no reply. */
  public record RepairRequest(int partition, BKey key, KvObject object, Resolution resolution)
      implements KvRequest {
    @Override
    public long reqId() {
      return 0;
    }
  }

  /** Remove the tombstone for {@code key} if it still has exactly this context; no reply. */
  public record ReapRequest(int partition, BKey key, VersionVector expected) implements KvRequest {
    @Override
    public long reqId() {
      return 0;
    }
  }

  /** Answer to a {@link GetRequest}; {@code object} is null when the vnode has nothing. */
  public record GetReply(
      long reqId, int partition, String node, Status status, KvObject object, String error) {}

  /** Answer to a put; {@code object} is set for coordinated puts and when returnbody was asked. */
  public record PutReply(
      long reqId, int partition, String node, Status status, KvObject object, String error) {}
}
