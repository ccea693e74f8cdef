package dev.partisan.kv.replica;

import dev.partisan.kv.BKey;
import dev.partisan.kv.replica.VnodeMessages.GetReply;
import dev.partisan.kv.replica.VnodeMessages.GetRequest;
import dev.partisan.kv.replica.VnodeMessages.PutReply;
import dev.partisan.kv.replica.VnodeMessages.Status;
import dev.partisan.kv.vnode.VnodeRequest;

/**
 * A coordinator's request for one object of one partition's vnode. Coordinators send these to the
 * node's vnode router on the {@code request} channel with the partition index as the partition key,
 * so one partition's requests stay in order on one connection.
 */
public sealed interface KvRequest extends VnodeRequest
    permits VnodeMessages.GetRequest,
        VnodeMessages.CoordPutRequest,
        VnodeMessages.ReplicaPutRequest,
        VnodeMessages.RepairRequest,
        VnodeMessages.ReapRequest {
  BKey key();

  @Override
  default byte[] storageKey() {
    return key().toStorageKey();
  }

  /** A {@link GetReply} for reads, a {@link PutReply} for writes; none for requests without id. */
  @Override
  default Object refusal(Refusal why, String message, String node) {
    if (reqId() == 0) {
      return null;
    }
    Status status = why == Refusal.OVERLOADED ? Status.OVERLOADED : Status.REJECTED;
    if (this instanceof GetRequest) {
      return new GetReply(reqId(), partition(), node, status, null, message);
    }
    return new PutReply(reqId(), partition(), node, status, null, message);
  }
}
