package dev.partisan.http.api;

import dev.partisan.kv.KvException;
import dev.partisan.kv.coverage.CoveragePlan;
import dev.partisan.kv.coverage.CoverageService;
import dev.partisan.kv.coverage.IndexQuery;
import dev.partisan.kv.coverage.IndexResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riak's secondary-index queries: {@code GET /buckets/B/index/F/V} (exact match) and {@code
 * /buckets/B/index/F/V1/V2} (range, inclusive), also under {@code /types/T/}, with {@code
 * return_terms}, {@code max_results}, {@code continuation} and {@code stream}. The answer is riak's
 * JSON: {@code {"keys":[...]}}, or {@code {"results":[{"term":"key"},...]}} with terms (range
 * queries only, as in riak), plus {@code "continuation"} when a page stopped at {@code max_results}
 * with more to come. {@code stream=true} sends the same objects as the parts of a {@code
 * multipart/mixed} body as they come, the continuation in a last part of its own. The query runs on
 * the node's coverage service (docs/2i.md); once the first byte is out a failure cannot change the
 * status, so it ends the body with {@code {"error":"..."}}.
 */
public final class IndexRoutes {
  private static final Logger log = LoggerFactory.getLogger(IndexRoutes.class);

  private final CoverageService coverage;

  public IndexRoutes(CoverageService coverage) {
    this.coverage = coverage;
  }

  public void register(RoutesConfig routes) {
    for (String bucket : List.of("/buckets/{bucket}", "/types/{type}/buckets/{bucket}")) {
      routes.get(bucket + "/index/{field}/{value}", this::query);
      routes.get(bucket + "/index/{field}/{start}/{end}", this::query);
    }
  }

  private void query(Context ctx) throws IOException {
    QueryParams params =
        Requests.query(ctx)
            .allow(
                Set.of("return_terms", "max_results", "continuation", "stream", "term_regex"),
                Set.of("timeout", "pagination_sort"));
    if (params.has("term_regex")) {
      throw HttpError.badRequest("term_regex is not supported");
    }
    IndexQuery q = parse(ctx, params);
    CoveragePlan plan;
    try {
      plan = coverage.plan(q.type(), q.bucket(), "query the index");
    } catch (KvException e) {
      throw KvErrors.toHttp(e);
    }
    boolean terms = q.returnTerms() && q.isRange();
    OutputStream out = ctx.res().getOutputStream();
    if (params.bool("stream", false)) {
      stream(ctx, out, plan, q, terms);
    } else {
      whole(ctx, out, plan, q, terms);
    }
    out.flush();
  }

  private static IndexQuery parse(Context ctx, QueryParams params) {
    String raw = Requests.rawPath(ctx);
    ObjectPath path = ObjectPath.parse(raw);
    String[] s = raw.split("/", -1);
    int at = path.typed() ? 5 : 3; // [, types, T,] buckets, B, index, F, V[, V2]
    String field =
        new String(ObjectPath.percentDecode(s[at + 1], "index field"), StandardCharsets.UTF_8);
    byte[] start = ObjectPath.percentDecode(s[at + 2], "index value");
    byte[] end = s.length > at + 3 ? ObjectPath.percentDecode(s[at + 3], "index value") : start;
    int max = 0;
    if (params.has("max_results")) {
      String v = params.get("max_results").orElseThrow();
      try {
        max = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max <= 0) {
        throw HttpError.badRequest(
            "max_results must be a positive integer: '" + QueryParams.shorten(v) + "'");
      }
    }
    try {
      return new IndexQuery(
          path.type(),
          path.bucket(),
          field,
          start,
          end,
          params.bool("return_terms", false),
          max,
          params.get("continuation").orElse(null));
    } catch (KvException e) {
      throw KvErrors.toHttp(e);
    }
  }

  private void whole(Context ctx, OutputStream out, CoveragePlan plan, IndexQuery q, boolean terms)
      throws IOException {
    ctx.status(200).contentType("application/json");
    write(out, terms ? "{\"results\":[" : "{\"keys\":[");
    boolean[] first = {true};
    try {
      String continuation =
          coverage.indexQuery(
              plan,
              q,
              page -> {
                write(out, json(page, terms, first[0]));
                first[0] = false;
                out.flush();
              });
      write(out, "]" + continuationField(continuation) + "}");
    } catch (IOException e) {
      log.warn("index query ended early: {}", e.getMessage());
      write(out, "],\"error\":" + KeyListRoutes.jsonString(e.getMessage()) + "}");
    }
  }

  private void stream(Context ctx, OutputStream out, CoveragePlan plan, IndexQuery q, boolean terms)
      throws IOException {
    String boundary = UUID.randomUUID().toString().replace("-", "");
    ctx.status(200).contentType("multipart/mixed;boundary=" + boundary);
    String part = "\r\n--" + boundary + "\r\nContent-Type: application/json\r\n\r\n";
    String tail;
    try {
      String continuation =
          coverage.indexQuery(
              plan,
              q,
              page -> {
                String field = terms ? "{\"results\":[" : "{\"keys\":[";
                write(out, part + field + json(page, terms, true) + "]}");
                out.flush();
              });
      tail =
          continuation == null
              ? ""
              : part + "{\"continuation\":" + KeyListRoutes.jsonString(continuation) + "}";
    } catch (IOException e) {
      log.warn("streamed index query ended early: {}", e.getMessage());
      tail = part + "{\"error\":" + KeyListRoutes.jsonString(e.getMessage()) + "}";
    }
    write(out, tail + "\r\n--" + boundary + "--\r\n");
  }

  private static String continuationField(String continuation) {
    return continuation == null
        ? ""
        : ",\"continuation\":" + KeyListRoutes.jsonString(continuation);
  }

  /** A page's results as JSON array elements (a leading comma unless first). */
  private static String json(List<IndexResult> page, boolean terms, boolean first) {
    StringBuilder sb = new StringBuilder();
    for (IndexResult r : page) {
      if (!first || sb.length() > 0) {
        sb.append(',');
      }
      String key = KeyListRoutes.jsonString(KeyListRoutes.keyText(r.key()));
      if (terms) {
        sb.append('{')
            .append(KeyListRoutes.jsonString(KeyListRoutes.keyText(r.term())))
            .append(':')
            .append(key)
            .append('}');
      } else {
        sb.append(key);
      }
    }
    return sb.toString();
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }
}
