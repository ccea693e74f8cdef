package dev.partisan.kv.vnode;

import dev.partisan.kv.BKey;

/**
 * A request for the vnode of one partition. Coordinators send these to the node's {@link
 * VnodeRouter} on the {@code request} channel with the partition index as the partition key, so one
 * partition's requests stay in order on one connection.
 */
public sealed interface VnodeRequest
    permits VnodeMessages.GetRequest,
        VnodeMessages.CoordPutRequest,
        VnodeMessages.ReplicaPutRequest,
        VnodeMessages.RepairRequest,
        VnodeMessages.ReapRequest {
  /** The coordinator's id for the request; 0 for requests that get no reply. */
  long reqId();

  int partition();

  BKey key();
}
