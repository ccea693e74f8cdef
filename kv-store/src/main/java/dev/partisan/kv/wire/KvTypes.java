package dev.partisan.kv.wire;

import dev.partisan.kv.aae.AaeMessages;
import dev.partisan.kv.coverage.CoverageMessages;
import dev.partisan.kv.handoff.HandoffMessages;
import dev.partisan.kv.metadata.MetadataMessages;
import dev.partisan.kv.replica.VnodeMessages;
import dev.partisan.kv.report.NodeReport;
import dev.partisan.kv.report.ReportRequest;
import dev.partisan.kv.ring.RingMessages;
import dev.partisan.kv.security.SecurityValues;
import dev.partisan.kv.vnode.ForwardedRequest;
import dev.partisan.kv.vnode.HandoffData;
import dev.partisan.runtime.codec.TypeRegistry;

/**
 * The KV store's wire types and their ids (2000-2999). Ids are part of the protocol: never reuse or
 * renumber one; add new types with new ids. Ranges: 2001-2099 vnode requests and replies, 2100-2199
 * ring and cluster admin, 2200-2299 handoff, 2300-2399 active anti-entropy, 2500-2519 coverage
 * queries, 2600-2619 cluster metadata and its security values, 2620-2629 node reports (the operator
 * console).
 */
public final class KvTypes {
  private KvTypes() {}

  public static void register(TypeRegistry types) {
    types.register(2001, VnodeMessages.GetRequest.class);
    types.register(2002, VnodeMessages.CoordPutRequest.class);
    types.register(2003, VnodeMessages.ReplicaPutRequest.class);
    types.register(2004, VnodeMessages.RepairRequest.class);
    types.register(2005, VnodeMessages.ReapRequest.class);
    types.register(2006, ForwardedRequest.class);
    types.register(2010, VnodeMessages.GetReply.class);
    types.register(2011, VnodeMessages.PutReply.class);
    types.register(2100, RingMessages.RingGossip.class);
    types.register(2101, RingMessages.JoinRequest.class);
    types.register(2102, RingMessages.JoinReply.class);
    types.register(2103, RingMessages.BucketTable.class);
    types.register(2104, RingMessages.ClusterChangeRequest.class);
    types.register(2105, RingMessages.ClusterChangeReply.class);
    types.register(2106, RingMessages.BucketTypeTable.class);
    types.register(2107, RingMessages.TypeProbe.class);
    types.register(2108, RingMessages.TypeProbeReply.class);
    types.register(2200, HandoffMessages.HandoffStart.class);
    types.register(2201, HandoffMessages.HandoffStartReply.class);
    types.register(2202, HandoffData.HandoffBatch.class);
    types.register(2203, HandoffData.HandoffAck.class);
    types.register(2204, HandoffMessages.HandoffFinish.class);
    types.register(2205, HandoffMessages.HandoffCommit.class);
    types.register(2206, HandoffMessages.HandoffCommitted.class);
    types.register(2300, AaeMessages.TreeRequest.class);
    types.register(2301, AaeMessages.TreeReply.class);
    types.register(2302, AaeMessages.KeysRequest.class);
    types.register(2303, AaeMessages.KeysReply.class);
    types.register(2500, CoverageMessages.KeyPageRequest.class);
    types.register(2501, CoverageMessages.BucketPageRequest.class);
    types.register(2502, CoverageMessages.IndexPageRequest.class);
    types.register(2503, CoverageMessages.Page.class);
    types.register(2600, MetadataMessages.MetadataGossip.class);
    types.register(2601, MetadataMessages.MetadataTable.class);
    types.register(2602, SecurityValues.UserValue.class);
    types.register(2603, SecurityValues.SourceValue.class);
    types.register(2604, SecurityValues.GrantValue.class);
    types.register(2605, SecurityValues.EnabledValue.class);
    types.register(2620, ReportRequest.class);
    types.register(2621, NodeReport.class);
  }
}
