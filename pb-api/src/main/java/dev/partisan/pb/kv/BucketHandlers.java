package dev.partisan.pb.kv;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.security.Permission;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketResp;
import dev.partisan.pb.proto.RiakMessages.RpbGetBucketTypeReq;
import dev.partisan.pb.proto.RiakMessages.RpbResetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketReq;
import dev.partisan.pb.proto.RiakMessages.RpbSetBucketTypeReq;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.util.concurrent.CompletableFuture;

/**
 * RpbGetBucketReq, RpbSetBucketReq and RpbResetBucketReq. A change is merged into the node's bucket
 * registry at once and spread with the ring gossip (last writer wins per bucket), as over HTTP: no
 * wait, so the handlers answer on the event loop.
 */
public final class BucketHandlers {
  /** Properties are looked up by any key of the bucket. */
  private static final byte[] PROBE_KEY = {0};

  private final KvNode node;

  public BucketHandlers(KvNode node) {
    this.node = node;
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher
        .on(
            MessageCode.RPB_GET_BUCKET_REQ,
            RpbGetBucketReq.parser(),
            Access.bucket(
                Permission.RIAK_CORE_GET_BUCKET,
                RpbGetBucketReq::hasType,
                RpbGetBucketReq::getType,
                RpbGetBucketReq::getBucket),
            this::get)
        .on(
            MessageCode.RPB_SET_BUCKET_REQ,
            RpbSetBucketReq.parser(),
            Access.bucket(
                Permission.RIAK_CORE_SET_BUCKET,
                RpbSetBucketReq::hasType,
                RpbSetBucketReq::getType,
                RpbSetBucketReq::getBucket),
            this::set)
        .on(
            MessageCode.RPB_RESET_BUCKET_REQ,
            RpbResetBucketReq.parser(),
            Access.bucket(
                Permission.RIAK_CORE_SET_BUCKET,
                RpbResetBucketReq::hasType,
                RpbResetBucketReq::getType,
                RpbResetBucketReq::getBucket),
            this::reset)
        .on(
            MessageCode.RPB_GET_BUCKET_TYPE_REQ,
            RpbGetBucketTypeReq.parser(),
            Access.type(
                Permission.RIAK_CORE_GET_BUCKET_TYPE, r -> true, RpbGetBucketTypeReq::getType),
            this::getType)
        .on(
            MessageCode.RPB_SET_BUCKET_TYPE_REQ,
            RpbSetBucketTypeReq.parser(),
            Access.type(
                Permission.RIAK_CORE_SET_BUCKET_TYPE, r -> true, RpbSetBucketTypeReq::getType),
            this::setType);
  }

  CompletableFuture<PbResponse> get(RpbGetBucketReq req, PbSession session) {
    BKey probe = Keys.of(req.hasType(), req.getType(), req.getBucket(), PROBE_KEY);
    node.bucketTypes().requireActive(probe.type());
    return propsResp(node.bucketProps(probe));
  }

  private static CompletableFuture<PbResponse> propsResp(BucketProps props) {
    RpbGetBucketResp resp =
        RpbGetBucketResp.newBuilder().setProps(BucketPropsPb.toPb(props)).build();
    return CompletableFuture.completedFuture(PbResponse.of(MessageCode.RPB_GET_BUCKET_RESP, resp));
  }

  /** A bucket type's properties (those of its buckets that have none of their own). */
  CompletableFuture<PbResponse> getType(RpbGetBucketTypeReq req, PbSession session) {
    byte[] type = Keys.type(true, req.getType());
    node.bucketTypes().requireActive(type);
    return propsResp(node.bucketTypeProps(type));
  }

  /**
   * Changes an active bucket type's properties, as {@code riak-admin bucket-type update}: type
   * {@code default} is refused (its properties are the node's defaults), and so is a change of a
   * property fixed at creation (datatype, consistent, write_once).
   */
  CompletableFuture<PbResponse> setType(RpbSetBucketTypeReq req, PbSession session) {
    byte[] type = Keys.type(true, req.getType());
    node.bucketTypes().requireActive(type);
    BucketProps next = BucketPropsPb.apply(node.bucketTypeProps(type), req.getProps());
    node.bucketTypes().update(req.getType().toStringUtf8(), next);
    return CompletableFuture.completedFuture(PbResponse.empty(MessageCode.RPB_SET_BUCKET_RESP));
  }

  CompletableFuture<PbResponse> set(RpbSetBucketReq req, PbSession session) {
    BKey probe = Keys.of(req.hasType(), req.getType(), req.getBucket(), PROBE_KEY);
    BucketProps next = BucketPropsPb.apply(node.bucketProps(probe), req.getProps());
    node.setBucketProps(probe.type(), probe.bucket(), next);
    return CompletableFuture.completedFuture(PbResponse.empty(MessageCode.RPB_SET_BUCKET_RESP));
  }

  CompletableFuture<PbResponse> reset(RpbResetBucketReq req, PbSession session) {
    BKey probe = Keys.of(req.hasType(), req.getType(), req.getBucket(), PROBE_KEY);
    node.resetBucketProps(probe.type(), probe.bucket());
    return CompletableFuture.completedFuture(PbResponse.empty(MessageCode.RPB_RESET_BUCKET_RESP));
  }
}
