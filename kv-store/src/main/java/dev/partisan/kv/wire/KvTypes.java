package dev.partisan.kv.wire;

import dev.partisan.kv.ring.RingMessages;
import dev.partisan.kv.vnode.VnodeMessages;
import dev.partisan.runtime.codec.TypeRegistry;

/**
 * The KV store's wire types and their ids (2000-2999). Ids are part of the protocol: never reuse or
 * renumber one; add new types with new ids.
 */
public final class KvTypes {
  private KvTypes() {}

  public static void register(TypeRegistry types) {
    types.register(2001, VnodeMessages.GetRequest.class);
    types.register(2002, VnodeMessages.CoordPutRequest.class);
    types.register(2003, VnodeMessages.ReplicaPutRequest.class);
    types.register(2004, VnodeMessages.RepairRequest.class);
    types.register(2005, VnodeMessages.ReapRequest.class);
    types.register(2010, VnodeMessages.GetReply.class);
    types.register(2011, VnodeMessages.PutReply.class);
    types.register(2100, RingMessages.RingGossip.class);
    types.register(2101, RingMessages.JoinRequest.class);
    types.register(2102, RingMessages.JoinReply.class);
    types.register(2103, RingMessages.BucketTable.class);
  }
}
