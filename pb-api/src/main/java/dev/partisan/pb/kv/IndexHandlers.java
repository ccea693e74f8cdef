package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BKey;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.coverage.CoveragePlan;
import dev.partisan.kv.coverage.IndexQuery;
import dev.partisan.kv.coverage.IndexResult;
import dev.partisan.kv.security.Permission;
import dev.partisan.pb.dispatch.Access;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexReq;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexReq.IndexQueryType;
import dev.partisan.pb.proto.RiakKvMessages.RpbIndexResp;
import dev.partisan.pb.proto.RiakMessages.RpbPair;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * RpbIndexReq (secondary indexes, docs/2i.md) on the node's coverage service: exact ({@code eq},
 * {@code key}) and range ({@code range_min}..{@code range_max}, inclusive) queries, Riak's {@code
 * $bucket} and {@code $key}, return_terms (range queries only, as Riak), max_results with a
 * continuation, and the stream flag. Streamed: a frame per page of results, then a last frame with
 * {@code done} and the continuation when a page stopped at max_results; not streamed: one
 * RpbIndexResp. {@code _int} values are decimal text of any size. term_regex, cover_context and
 * return_body are refused (not supported); pagination_sort is accepted (results are always sorted).
 */
public final class IndexHandlers {
  private static final byte[] PROBE_KEY = {0};

  private final KvNode node;

  public IndexHandlers(KvNode node) {
    this.node = node;
  }

  public void register(PbDispatcher dispatcher) {
    dispatcher.onStream(
        MessageCode.RPB_INDEX_REQ,
        RpbIndexReq.parser(),
        Access.bucket(
            Permission.RIAK_KV_INDEX,
            RpbIndexReq::hasType,
            RpbIndexReq::getType,
            RpbIndexReq::getBucket),
        this::query);
  }

  CompletableFuture<Void> query(RpbIndexReq req, PbSession session, Consumer<PbResponse> out) {
    IndexQuery q = parse(req);
    node.bucketTypes().requireActive(q.type());
    CoveragePlan plan = node.coverage().plan(q.type(), q.bucket(), "query the index");
    boolean terms = q.returnTerms() && q.isRange();
    boolean stream = req.getStream();
    return CoverageStream.start(
        Keys.timeout(req.hasTimeout(), req.getTimeout()),
        out,
        s -> {
          List<IndexResult> all = new ArrayList<>();
          String continuation =
              node.coverage()
                  .indexQuery(
                      plan,
                      q,
                      page -> {
                        if (stream) {
                          s.emit(PbResponse.of(MessageCode.RPB_INDEX_RESP, resp(page, terms)));
                        } else {
                          all.addAll(page);
                        }
                      });
          RpbIndexResp.Builder last =
              stream ? RpbIndexResp.newBuilder().setDone(true) : resp(all, terms).toBuilder();
          if (continuation != null) {
            last.setContinuation(ByteString.copyFromUtf8(continuation));
          }
          s.emit(PbResponse.of(MessageCode.RPB_INDEX_RESP, last.build()));
        });
  }

  private static RpbIndexResp resp(List<IndexResult> page, boolean terms) {
    RpbIndexResp.Builder b = RpbIndexResp.newBuilder();
    for (IndexResult r : page) {
      if (terms) {
        b.addResults(
            RpbPair.newBuilder()
                .setKey(ByteString.copyFrom(r.term()))
                .setValue(ByteString.copyFrom(r.key())));
      } else {
        b.addKeys(ByteString.copyFrom(r.key()));
      }
    }
    return b.build();
  }

  private static IndexQuery parse(RpbIndexReq req) {
    if (req.hasTermRegex()) {
      throw new PbRequestException("term_regex is not supported");
    }
    if (req.hasCoverContext()) {
      throw new PbRequestException("cover_context is not supported (no coverage plans over PB)");
    }
    if (req.getReturnBody()) {
      throw new PbRequestException("return_body is not supported for index queries");
    }
    BKey probe = Keys.of(req.hasType(), req.getType(), req.getBucket(), PROBE_KEY);
    String field = req.getIndex().toStringUtf8();
    byte[] start;
    byte[] end;
    if (req.getQtype() == IndexQueryType.eq) {
      if (!req.hasKey() && !field.equals(IndexQuery.BUCKET_FIELD)) {
        throw new PbRequestException("bad request: an eq index query needs a key");
      }
      start = req.getKey().toByteArray();
      end = start;
    } else {
      if (!req.hasRangeMin() || !req.hasRangeMax()) {
        throw new PbRequestException(
            "bad request: a range index query needs range_min and range_max");
      }
      start = req.getRangeMin().toByteArray();
      end = req.getRangeMax().toByteArray();
    }
    int max = req.hasMaxResults() ? req.getMaxResults() : 0;
    if (req.hasMaxResults() && max <= 0) {
      throw new PbRequestException(
          "bad request: max_results must be positive: " + Integer.toUnsignedString(max));
    }
    String continuation =
        req.hasContinuation() && !req.getContinuation().isEmpty()
            ? new String(req.getContinuation().toByteArray(), StandardCharsets.US_ASCII)
            : null;
    return new IndexQuery(
        probe.type(), probe.bucket(), field, start, end, req.getReturnTerms(), max, continuation);
  }
}
