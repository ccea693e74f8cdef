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
 * written incrementally). Both are full scans of the cluster: for operators and tests, not for
 * request paths. A failure after the first byte cannot change the status, so the stream then ends
 * with {@code {"error":"..."}}.
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
  }

  private void list(Context ctx) throws IOException {
    QueryParams q = Requests.query(ctx).allow(Set.of("keys"), Set.of());
    String mode = q.get("keys").orElse("");
    if (!mode.equals("stream") && !mode.equals("true")) {
      throw HttpError.badRequest(
          "listing keys is a full scan: ask for it with ?keys=stream (or ?keys=true)");
    }
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    CoveragePlan plan;
    try {
      plan = keys.plan(path.type(), path.bucket(), "list keys");
    } catch (KvException e) {
      throw KvErrors.toHttp(e);
    }
    ctx.status(200).contentType("application/json");
    OutputStream out = ctx.res().getOutputStream();
    boolean streaming = mode.equals("stream");
    boolean[] first = {true};
    if (!streaming) {
      out.write("{\"keys\":[".getBytes(StandardCharsets.UTF_8));
    }
    try {
      keys.listKeys(
          plan,
          path.type(),
          path.bucket(),
          page -> {
            if (streaming) {
              out.write(("{\"keys\":[" + join(page, true) + "]}").getBytes(StandardCharsets.UTF_8));
            } else {
              out.write(join(page, first[0]).getBytes(StandardCharsets.UTF_8));
            }
            first[0] = false;
            out.flush();
          });
      if (streaming && first[0]) {
        out.write("{\"keys\":[]}".getBytes(StandardCharsets.UTF_8));
      } else if (!streaming) {
        out.write("]}".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      log.warn("key listing of {} ended early: {}", path.bucketPath(), e.getMessage());
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
