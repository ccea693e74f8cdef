package dev.partisan.http.api;

import dev.partisan.kv.KvException;
import dev.partisan.kv.coverage.CoveragePlan;
import dev.partisan.kv.coverage.CoverageService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /buckets/{b}/keys?keys=stream} (a sequence of {@code {"keys":[...]}} objects, one per
 * page, flushed as they come) and {@code ?keys=true} (one {@code {"keys":[...]}} document, still
 * written incrementally), and the same for a bucket type's buckets ({@code GET
 * /buckets?buckets=stream|true}, {@code /types/{t}/buckets?...}: {@code {"buckets":[...]}}). All
 * are full scans of the cluster, run by the node's coverage service: for operators and tests, not
 * for request paths. A failure after the first byte cannot change the status, so the stream then
 * ends with {@code {"error":"..."}}.
 */
public final class KeyListRoutes {
  private static final Logger log = LoggerFactory.getLogger(KeyListRoutes.class);

  private final CoverageService keys;

  public KeyListRoutes(CoverageService keys) {
    this.keys = keys;
  }

  public void register(RoutesConfig routes) {
    routes.get("/buckets/{bucket}/keys", this::list);
    routes.get("/types/{type}/buckets/{bucket}/keys", this::list);
    routes.get("/buckets", this::listBuckets);
    routes.get("/types/{type}/buckets", this::listBuckets);
  }

  /** {@code GET /buckets?buckets=true} (or {@code stream}): the type's buckets, riak's JSON. */
  private void listBuckets(Context ctx) throws IOException {
    boolean streaming = streaming(ctx, "buckets");
    byte[] type = ObjectPath.typeOf(Requests.rawPath(ctx));
    CoveragePlan plan;
    try {
      plan = keys.planBuckets(type);
    } catch (KvException e) {
      throw KvErrors.toHttp(e);
    }
    stream(ctx, "buckets", streaming, sink -> keys.listBuckets(plan, type, sink));
  }

  /** True for {@code ?what=stream}, false for {@code ?what=true}; anything else is a 400. */
  private static boolean streaming(Context ctx, String what) {
    QueryParams q = Requests.query(ctx).allow(Set.of(what), Set.of());
    String mode = q.get(what).orElse("");
    if (!mode.equals("stream") && !mode.equals("true")) {
      throw HttpError.badRequest(
          "listing "
              + what
              + " is a full scan: ask for it with ?"
              + what
              + "=stream (or ?"
              + what
              + "=true)");
    }
    return mode.equals("stream");
  }

  /** Runs a listing that hands pages to a sink. */
  @FunctionalInterface
  private interface Listing {
    void run(dev.partisan.kv.coverage.PageSink<byte[]> sink) throws IOException;
  }

  private void list(Context ctx) throws IOException {
    boolean streaming = streaming(ctx, "keys");
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    CoveragePlan plan;
    try {
      plan = keys.plan(path.type(), path.bucket(), "list keys");
    } catch (KvException e) {
      throw KvErrors.toHttp(e);
    }
    stream(ctx, "keys", streaming, sink -> keys.listKeys(plan, path.type(), path.bucket(), sink));
  }

  /**
   * Writes a listing as {@code {"<field>":[...]}}: one object per page when {@code streaming}, else
   * one document, written as the pages come.
   */
  private void stream(Context ctx, String field, boolean streaming, Listing listing)
      throws IOException {
    ctx.status(200).contentType("application/json");
    OutputStream out = ctx.res().getOutputStream();
    boolean[] first = {true};
    String open = "{\"" + field + "\":[";
    if (!streaming) {
      out.write(open.getBytes(StandardCharsets.UTF_8));
    }
    try {
      listing.run(
          page -> {
            if (streaming) {
              out.write((open + join(page, true) + "]}").getBytes(StandardCharsets.UTF_8));
            } else {
              out.write(join(page, first[0]).getBytes(StandardCharsets.UTF_8));
            }
            first[0] = false;
            out.flush();
          });
      if (streaming && first[0]) {
        out.write((open + "]}").getBytes(StandardCharsets.UTF_8));
      } else if (!streaming) {
        out.write("]}".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      log.warn("{} listing ended early: {}", field, e.getMessage());
      String error = "{\"error\":" + jsonString(e.getMessage()) + "}";
      out.write((streaming ? error : "]," + error.substring(1)).getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  private static String join(List<byte[]> page, boolean first) {
    StringBuilder sb = new StringBuilder();
    for (byte[] k : page) {
      if (!first || sb.length() > 0) {
        sb.append(',');
      }
      sb.append(jsonString(keyText(k)));
    }
    return sb.toString();
  }

  /** The key as text; a key that is not UTF-8 is given percent-encoded (as it goes in a path). */
  static String keyText(byte[] key) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      return ObjectPath.percentEncode(key);
    }
  }

  static String jsonString(String s) {
    try {
      return BucketPropsJson.JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
