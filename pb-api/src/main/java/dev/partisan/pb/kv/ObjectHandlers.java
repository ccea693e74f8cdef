package dev.partisan.pb.kv;

import static dev.partisan.pb.kv.Quorums.fromPb;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BKey;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.GeneratedKeys;
import dev.partisan.kv.GetResult;
import dev.partisan.kv.KvClient;
import dev.partisan.kv.PutResult;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.security.Permission;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakKvMessages.RpbDelReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbGetResp;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbPutResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.util.concurrent.CompletableFuture;

/**
 * RpbGetReq, RpbPutReq and RpbDelReq, on the node's {@link KvClient}.
 *
 * <p>Accepted and ignored, as the store's behaviour is fixed: basic_quorum, notfound_ok,
 * sloppy_quorum, asis and node_confirms (the coordinator always waits for R answers, treats
 * not-found as an answer, and uses fallbacks). if_none_match and if_not_modified are checked by a
 * read before the write, as Riak does: not atomic with it.
 */
public final class ObjectHandlers {
  private final KvClient client;
  private final long maxValueBytes;

  public ObjectHandlers(KvClient client, long maxValueBytes) {
    this.client = client;
    this.maxValueBytes = maxValueBytes;
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher
        .on(
            MessageCode.RPB_GET_REQ,
            RpbGetReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_GET,
                RpbGetReq::hasType,
                RpbGetReq::getType,
                RpbGetReq::getBucket),
            this::get)
        .on(
            MessageCode.RPB_PUT_REQ,
            RpbPutReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_PUT,
                RpbPutReq::hasType,
                RpbPutReq::getType,
                RpbPutReq::getBucket),
            this::put)
        .on(
            MessageCode.RPB_DEL_REQ,
            RpbDelReq.parser(),
            Access.bucket(
                Permission.RIAK_KV_DELETE,
                RpbDelReq::hasType,
                RpbDelReq::getType,
                RpbDelReq::getBucket),
            this::delete);
  }

  // ------------------------------------------------------------------ get

  CompletableFuture<PbResponse> get(RpbGetReq req, PbSession session) {
    BKey key = Keys.of(req.hasType(), req.getType(), req.getBucket(), req.getKey().toByteArray());
    RequestOptions options =
        Keys.withNVal(
            RequestOptions.DEFAULTS
                .r(fromPb("r", req.hasR(), req.getR()))
                .pr(fromPb("pr", req.hasPr(), req.getPr()))
                .timeout(Keys.timeout(req.hasTimeout(), req.getTimeout())),
            req.hasNVal(),
            req.getNVal());
    CausalContext ifModified =
        req.hasIfModified() ? Contents.context(true, req.getIfModified()) : null;
    return client
        .get(key, options)
        .thenApply(
            result -> PbResponse.of(MessageCode.RPB_GET_RESP, getResp(req, ifModified, result)));
  }

  private static RpbGetResp getResp(RpbGetReq req, CausalContext ifModified, GetResult result) {
    RpbGetResp.Builder b = RpbGetResp.newBuilder();
    if (!result.found()) {
      // Not found is an empty response, not an error; the tombstone's vclock only on request.
      if (req.getDeletedvclock() && !result.context().isEmpty()) {
        b.setVclock(Contents.vclock(result.context()));
      }
      return b.build();
    }
    if (ifModified != null && ifModified.equals(result.context())) {
      return b.setUnchanged(true).build();
    }
    b.setVclock(Contents.vclock(result.context()));
    for (Content c : result.siblings()) {
      b.addContent(Contents.toPb(c, req.getHead()));
    }
    return b.build();
  }

  // ------------------------------------------------------------------ put

  CompletableFuture<PbResponse> put(RpbPutReq req, PbSession session) {
    boolean named = !req.hasKey();
    byte[] keyBytes = named ? GeneratedKeys.next() : req.getKey().toByteArray();
    BKey key = Keys.of(req.hasType(), req.getType(), req.getBucket(), keyBytes);
    Content content = Contents.fromPb(req.getContent());
    if (content.value().length > maxValueBytes) {
      throw new PbRequestException(
          "too_large: the value is "
              + content.value().length
              + " bytes, over the limit of "
              + maxValueBytes
              + " (kv.max_value_bytes)");
    }
    CausalContext context = Contents.context(req.hasVclock(), req.getVclock());
    boolean head = req.getReturnHead() && !req.getReturnBody();
    RequestOptions options =
        Keys.withNVal(
            RequestOptions.DEFAULTS
                .w(fromPb("w", req.hasW(), req.getW()))
                .dw(fromPb("dw", req.hasDw(), req.getDw()))
                .pw(fromPb("pw", req.hasPw(), req.getPw()))
                .timeout(Keys.timeout(req.hasTimeout(), req.getTimeout()))
                .returnBody(req.getReturnBody() || req.getReturnHead()),
            req.hasNVal(),
            req.getNVal());
    return checkPreconditions(req, key, context, options)
        .thenCompose(ignored -> client.put(key, content, context, options))
        .thenApply(
            result ->
                PbResponse.of(
                    MessageCode.RPB_PUT_RESP,
                    putResp(result, options.returnBody(), head, named ? keyBytes : null)));
  }

  /**
   * Riak's conditional writes: if_none_match fails with {@code match_found} when the object exists;
   * if_not_modified fails with {@code notfound} when it does not, and with {@code modified} when
   * its vclock is no longer the request's.
   */
  private CompletableFuture<Void> checkPreconditions(
      RpbPutReq req, BKey key, CausalContext context, RequestOptions options) {
    if (!req.getIfNoneMatch() && !req.getIfNotModified()) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .get(key, options.returnBody(false))
        .thenAccept(
            current -> {
              if (req.getIfNoneMatch() && current.found()) {
                throw new PbRequestException("match_found");
              }
              if (req.getIfNotModified()) {
                if (!current.found()) {
                  throw new PbRequestException("notfound");
                }
                if (!current.context().equals(context)) {
                  throw new PbRequestException("modified");
                }
              }
            });
  }

  private static RpbPutResp putResp(
      PutResult result, boolean withBody, boolean head, byte[] namedKey) {
    RpbPutResp.Builder b = RpbPutResp.newBuilder();
    if (namedKey != null) {
      b.setKey(ByteString.copyFrom(namedKey));
    }
    if (withBody) {
      b.setVclock(Contents.vclock(result.context()));
      for (Content c : result.siblings()) {
        b.addContent(Contents.toPb(c, head));
      }
    }
    return b.build();
  }

  // ------------------------------------------------------------------ delete

  CompletableFuture<PbResponse> delete(RpbDelReq req, PbSession session) {
    BKey key = Keys.of(req.hasType(), req.getType(), req.getBucket(), req.getKey().toByteArray());
    // Riak's rw is the quorum of both halves of a delete; explicit r and w win over it.
    var rw = fromPb("rw", req.hasRw(), req.getRw());
    RequestOptions options =
        Keys.withNVal(
            RequestOptions.DEFAULTS
                .r(req.hasR() ? fromPb("r", true, req.getR()) : rw)
                .w(req.hasW() ? fromPb("w", true, req.getW()) : rw)
                .pr(fromPb("pr", req.hasPr(), req.getPr()))
                .pw(fromPb("pw", req.hasPw(), req.getPw()))
                .dw(fromPb("dw", req.hasDw(), req.getDw()))
                .timeout(Keys.timeout(req.hasTimeout(), req.getTimeout())),
            req.hasNVal(),
            req.getNVal());
    CausalContext context = Contents.context(req.hasVclock(), req.getVclock());
    // Deleting what does not exist succeeds, as in Riak.
    return client
        .delete(key, context, options)
        .thenApply(result -> PbResponse.empty(MessageCode.RPB_DEL_RESP));
  }
}
