package dev.partisan.pb.kv;

import static dev.partisan.pb.kv.Quorums.fromPb;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BKey;
import dev.partisan.kv.KvClient;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtFetchResult;
import dev.partisan.kv.datatype.DtOp;
import dev.partisan.kv.datatype.DtUpdateResult;
import dev.partisan.kv.datatype.DtValue;
import dev.partisan.kv.security.Permission;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchReq;
import dev.partisan.pb.proto.RiakDtMessages.DtFetchResp;
import dev.partisan.pb.proto.RiakDtMessages.DtUpdateReq;
import dev.partisan.pb.proto.RiakDtMessages.DtUpdateResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.util.concurrent.CompletableFuture;

/**
 * DtFetchReq and DtUpdateReq (Riak 2's data types, docs/datatypes.md) on {@link
 * KvClient#fetchDatatype} and {@link KvClient#updateDatatype}. The bucket type's {@code datatype}
 * property says which type a key holds. A fetch of a missing key answers the type without a value
 * or context, as Riak. An update without a key gets one the node names, returned in
 * DtUpdateResp.key; with return_body the value after the update comes back, and with it the context
 * unless include_context is false. Options the store's behaviour fixes (basic_quorum, notfound_ok,
 * sloppy_quorum) are accepted and ignored, as for objects.
 */
public final class DatatypeHandlers {
  private final KvNode node;
  private final KvClient client;

  public DatatypeHandlers(KvNode node) {
    this.node = node;
    this.client = node.client();
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher
        .on(
            MessageCode.DT_FETCH_REQ,
            DtFetchReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_GET, r -> true, DtFetchReq::getType, DtFetchReq::getBucket),
            this::fetch)
        .on(
            MessageCode.DT_UPDATE_REQ,
            DtUpdateReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_PUT, r -> true, DtUpdateReq::getType, DtUpdateReq::getBucket),
            this::update);
  }

  CompletableFuture<PbResponse> fetch(DtFetchReq req, PbSession session) {
    BKey key = Keys.of(true, req.getType(), req.getBucket(), req.getKey().toByteArray());
    node.bucketTypes().requireActive(key.type());
    RequestOptions options =
        Keys.withNVal(
            RequestOptions.DEFAULTS
                .r(fromPb("r", req.hasR(), req.getR()))
                .pr(fromPb("pr", req.hasPr(), req.getPr()))
                .timeout(Keys.timeout(req.hasTimeout(), req.getTimeout())),
            req.hasNVal(),
            req.getNVal());
    return client
        .fetchDatatype(key, options)
        .thenApply(r -> PbResponse.of(MessageCode.DT_FETCH_RESP, fetchResp(req, r)));
  }

  private static DtFetchResp fetchResp(DtFetchReq req, DtFetchResult r) {
    DtFetchResp.Builder b = DtFetchResp.newBuilder().setType(DtValuesPb.type(r.value().type()));
    if (!r.found()) {
      return b.build();
    }
    b.setValue(DtValuesPb.toPb(r.value()));
    if (req.getIncludeContext()) {
      b.setContext(ByteString.copyFrom(r.context()));
    }
    return b.build();
  }

  CompletableFuture<PbResponse> update(DtUpdateReq req, PbSession session) {
    DtOp op = DtOpsPb.fromPb(req.getOp());
    byte[] context =
        req.hasContext() && !req.getContext().isEmpty() ? req.getContext().toByteArray() : null;
    RequestOptions options =
        Keys.withNVal(
            RequestOptions.DEFAULTS
                .w(fromPb("w", req.hasW(), req.getW()))
                .dw(fromPb("dw", req.hasDw(), req.getDw()))
                .pw(fromPb("pw", req.hasPw(), req.getPw()))
                .timeout(Keys.timeout(req.hasTimeout(), req.getTimeout()))
                .returnBody(req.getReturnBody()),
            req.hasNVal(),
            req.getNVal());
    boolean named = !req.hasKey() || req.getKey().isEmpty();
    BKey key =
        Keys.of(
            true,
            req.getType(),
            req.getBucket(),
            named ? new byte[] {0} : req.getKey().toByteArray());
    node.bucketTypes().requireActive(key.type());
    if (named && context != null) {
      throw new PbRequestException("bad request: a context needs the key it was fetched from");
    }
    CompletableFuture<DtUpdateResult> written =
        named
            ? client.updateDatatype(key.type(), key.bucket(), op, options)
            : client.updateDatatype(key, op, context, options);
    return written.thenApply(
        r -> PbResponse.of(MessageCode.DT_UPDATE_RESP, updateResp(req, named, r)));
  }

  private static DtUpdateResp updateResp(DtUpdateReq req, boolean named, DtUpdateResult r) {
    DtUpdateResp.Builder b = DtUpdateResp.newBuilder();
    if (named) {
      b.setKey(ByteString.copyFrom(r.key().key()));
    }
    DtValue v = r.value();
    if (v == null) {
      return b.build();
    }
    if (req.getIncludeContext()) {
      b.setContext(ByteString.copyFrom(r.context()));
    }
    switch (v.type()) {
      case COUNTER -> b.setCounterValue(v.counter());
      case SET -> b.addAllSetValue(DtValuesPb.elements(v.set()));
      case MAP -> b.addAllMapValue(DtValuesPb.entries(v.map()));
      case HLL -> b.setHllValue(v.hll());
    }
    return b.build();
  }
}
