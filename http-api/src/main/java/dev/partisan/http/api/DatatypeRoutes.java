package dev.partisan.http.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.kv.BKey;
import dev.partisan.kv.DataType;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.RequestOptions;
import dev.partisan.kv.datatype.DtFetchResult;
import dev.partisan.kv.datatype.DtUpdateResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/**
 * Riak's data-type endpoints: {@code GET /types/T/buckets/B/datatypes/K} fetches the value (404
 * with {@code {"type":...,"error":"notfound"}} when there is none), {@code POST} to the same path
 * applies an operation ({@link DatatypeJson}), and {@code POST /types/T/buckets/B/datatypes} does
 * so under a key the node chooses (201 with its Location). The bucket's type must have a {@code
 * datatype} property.
 */
public final class DatatypeRoutes {
  private static final Set<String> FETCH_PARAMS = Set.of("r", "pr", "timeout", "include_context");
  private static final Set<String> UPDATE_PARAMS =
      Set.of("w", "dw", "pw", "returnbody", "timeout", "include_context");

  /** Riak parameters accepted and ignored: their behaviour is this store's fixed one. */
  private static final Set<String> IGNORED = Set.of("basic_quorum", "notfound_ok", "sloppy_quorum");

  private final KvNode node;
  private final RequestMetrics metrics;
  private final long maxBodyBytes;

  public DatatypeRoutes(KvNode node, RequestMetrics metrics, long maxBodyBytes) {
    this.node = node;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  public void register(RoutesConfig routes) {
    String base = "/types/{type}/buckets/{bucket}/datatypes";
    routes.get(base + "/{key}", this::fetch);
    routes.post(base + "/{key}", this::update);
    routes.post(base, this::create);
  }

  private void fetch(Context ctx) {
    BKey key = keyOf(ctx);
    DataType type = datatypeOf(key);
    QueryParams q = Requests.query(ctx).allow(FETCH_PARAMS, IGNORED);
    RequestOptions options =
        RequestOptions.DEFAULTS.r(q.quorum("r")).pr(q.quorum("pr")).timeout(q.timeout());
    DtFetchResult r =
        Requests.await(
            metrics.time("dt_fetch", () -> node.client().fetchDatatype(key, options)),
            timeout(options));
    if (!r.found()) {
      json(ctx, 404, DatatypeJson.notFound(type));
      return;
    }
    json(ctx, 200, DatatypeJson.write(r.value(), r.context(), q.bool("include_context", true)));
  }

  private void update(Context ctx) {
    write(ctx, keyOf(ctx), false);
  }

  /** POST without a key: the node chooses one ({@code key} here only names the bucket). */
  private void create(Context ctx) {
    ObjectPath bucket = ObjectPath.parse(Requests.rawPath(ctx));
    write(ctx, new BKey(bucket.type(), bucket.bucket(), new byte[] {'_'}), true);
  }

  private void write(Context ctx, BKey key, boolean created) {
    DataType type = datatypeOf(key);
    QueryParams q = Requests.query(ctx).allow(UPDATE_PARAMS, IGNORED);
    RequestOptions options =
        RequestOptions.DEFAULTS
            .w(q.quorum("w"))
            .dw(q.quorum("dw"))
            .pw(q.quorum("pw"))
            .timeout(q.timeout())
            .returnBody(q.bool("returnbody", false));
    DatatypeJson.Parsed parsed = DatatypeJson.parse(type, Requests.body(ctx, maxBodyBytes));
    DtUpdateResult r =
        Requests.await(
            metrics.time(
                "dt_update",
                () ->
                    created
                        ? node.client()
                            .updateDatatype(key.type(), key.bucket(), parsed.op(), options)
                        : node.client()
                            .updateDatatype(key, parsed.op(), parsed.context(), options)),
            timeout(options));
    if (created) {
      ctx.header(
          "Location",
          "/types/"
              + ObjectPath.percentEncode(key.type())
              + "/buckets/"
              + ObjectPath.percentEncode(key.bucket())
              + "/datatypes/"
              + ObjectPath.percentEncode(r.key().key()));
    }
    if (r.value() == null) {
      ctx.status(created ? 201 : 204);
      return;
    }
    ObjectNode body;
    try {
      body = DatatypeJson.write(r.value(), r.context(), q.bool("include_context", true));
    } catch (HttpError e) {
      throw new HttpError(e.status(), "the update was applied, but " + e.getMessage());
    }
    json(ctx, created ? 201 : 200, body);
  }

  private DataType datatypeOf(BKey key) {
    DataType type = node.bucketProps(key).datatype();
    if (type == null) {
      throw HttpError.badRequest(
          "bucket "
              + new String(key.bucket(), java.nio.charset.StandardCharsets.UTF_8)
              + " is not a data-type bucket (its bucket type has no datatype property)");
    }
    return type;
  }

  /** The key named after {@code /datatypes/} in the raw path. */
  private static BKey keyOf(Context ctx) {
    String raw = Requests.rawPath(ctx);
    ObjectPath bucket = ObjectPath.parse(raw);
    String segment = raw.substring(raw.lastIndexOf('/') + 1);
    byte[] key = ObjectPath.percentDecode(segment, "the key");
    if (key.length == 0) {
      throw HttpError.badRequest("the path names no key");
    }
    return new BKey(bucket.type(), bucket.bucket(), key);
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  private Duration timeout(RequestOptions options) {
    return options.timeout() != null ? options.timeout() : node.config().defaultTimeout();
  }
}
