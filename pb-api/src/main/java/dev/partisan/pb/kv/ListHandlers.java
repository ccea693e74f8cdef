package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BKey;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.coverage.CoveragePlan;
import dev.partisan.kv.security.Permission;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakKvMessages.RpbListBucketsReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListBucketsResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbListKeysResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * RpbListBucketsReq and RpbListKeysReq on the node's coverage service. Keys always stream: a frame
 * per page the coverage query gives (at most 1000 keys), then a last frame with {@code done} set.
 * Buckets stream the same way when the request asks ({@code stream}, as riak-client does);
 * otherwise they are gathered and sent in one RpbListBucketsResp, as Riak does. Both are as
 * expensive as in Riak: every partition is read.
 */
public final class ListHandlers {
  private static final byte[] PROBE_KEY = {0};

  private final KvNode node;

  public ListHandlers(KvNode node) {
    this.node = node;
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher
        .onStream(
            MessageCode.RPB_LIST_BUCKETS_REQ,
            RpbListBucketsReq.parser(),
            Access.type(
                Permission.RIAK_KV_LIST_BUCKETS,
                RpbListBucketsReq::hasType,
                RpbListBucketsReq::getType),
            this::listBuckets)
        .onStream(
            MessageCode.RPB_LIST_KEYS_REQ,
            RpbListKeysReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_LIST_KEYS,
                RpbListKeysReq::hasType,
                RpbListKeysReq::getType,
                RpbListKeysReq::getBucket),
            this::listKeys);
  }

  CompletableFuture<Void> listBuckets(
      RpbListBucketsReq req, PbSession session, Consumer<PbResponse> out) {
    byte[] type = Keys.type(req.hasType(), req.getType());
    node.bucketTypes().requireActive(type);
    CoveragePlan plan = node.coverage().planBuckets(type); // refused before anything is sent
    boolean stream = req.getStream();
    return CoverageStream.start(
        Keys.timeout(req.hasTimeout(), req.getTimeout()),
        out,
        s -> {
          List<ByteString> all = new ArrayList<>();
          node.coverage()
              .listBuckets(
                  plan,
                  type,
                  page -> {
                    if (stream) {
                      s.emit(bucketsFrame(page, false));
                    } else {
                      page.forEach(b -> all.add(ByteString.copyFrom(b)));
                    }
                  });
          s.emit(
              stream
                  ? bucketsFrame(List.of(), true)
                  : PbResponse.of(
                      MessageCode.RPB_LIST_BUCKETS_RESP,
                      RpbListBucketsResp.newBuilder().addAllBuckets(all).build()));
        });
  }

  private static PbResponse bucketsFrame(List<byte[]> page, boolean done) {
    RpbListBucketsResp.Builder b = RpbListBucketsResp.newBuilder();
    page.forEach(bucket -> b.addBuckets(ByteString.copyFrom(bucket)));
    if (done) {
      b.setDone(true);
    }
    return PbResponse.of(MessageCode.RPB_LIST_BUCKETS_RESP, b.build());
  }

  CompletableFuture<Void> listKeys(
      RpbListKeysReq req, PbSession session, Consumer<PbResponse> out) {
    BKey probe = Keys.of(req.hasType(), req.getType(), req.getBucket(), PROBE_KEY);
    node.bucketTypes().requireActive(probe.type());
    CoveragePlan plan = node.coverage().plan(probe.type(), probe.bucket(), "list keys");
    return CoverageStream.start(
        Keys.timeout(req.hasTimeout(), req.getTimeout()),
        out,
        s -> {
          node.coverage()
              .listKeys(plan, probe.type(), probe.bucket(), page -> s.emit(keysFrame(page, false)));
          s.emit(keysFrame(List.of(), true));
        });
  }

  private static PbResponse keysFrame(List<byte[]> page, boolean done) {
    RpbListKeysResp.Builder b = RpbListKeysResp.newBuilder();
    page.forEach(key -> b.addKeys(ByteString.copyFrom(key)));
    if (done) {
      b.setDone(true);
    }
    return PbResponse.of(MessageCode.RPB_LIST_KEYS_RESP, b.build());
  }
}
