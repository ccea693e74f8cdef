package dev.partisan.http.api;

import dev.partisan.http.metrics.RequestMetrics;
import dev.partisan.kv.BKey;
import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import dev.partisan.kv.DeleteResult;
import dev.partisan.kv.GetResult;
import dev.partisan.kv.KvNode;
import dev.partisan.kv.PutResult;
import dev.partisan.kv.RequestOptions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Riak's object endpoints: {@code GET/PUT/POST/DELETE /buckets/{b}/keys/{k}}, the same under {@code
 * /types/{t}/}, and {@code POST /buckets/{b}/keys} to create a key the node names.
 */
public final class ObjectRoutes {
  private static final Set<String> GET_PARAMS = Set.of("r", "pr", "timeout", "vtag");
  private static final Set<String> PUT_PARAMS =
      Set.of("r", "pr", "w", "dw", "pw", "returnbody", "timeout");
  private static final Set<String> DELETE_PARAMS =
      Set.of("rw", "r", "pr", "w", "dw", "pw", "timeout");

  /** Riak parameters accepted and ignored: their behaviour is this store's fixed one. */
  private static final Set<String> IGNORED = Set.of("basic_quorum", "notfound_ok", "asis");

  private final KvNode node;
  private final RequestMetrics metrics;
  private final long maxValueBytes;

  public ObjectRoutes(KvNode node, RequestMetrics metrics, long maxValueBytes) {
    this.node = node;
    this.metrics = metrics;
    this.maxValueBytes = maxValueBytes;
  }

  public void register(RoutesConfig routes) {
    for (String bucket : List.of("/buckets/{bucket}", "/types/{type}/buckets/{bucket}")) {
      routes.get(bucket + "/keys/{key}", this::get);
      // HEAD: the same status and headers (vclock, ETag, indexes) without the body, as riak does.
      routes.head(bucket + "/keys/{key}", this::get);
      routes.put(bucket + "/keys/{key}", this::put);
      routes.post(bucket + "/keys/{key}", this::put);
      routes.delete(bucket + "/keys/{key}", this::delete);
      routes.post(bucket + "/keys", this::create);
    }
  }

  // ------------------------------------------------------------------ GET

  private void get(Context ctx) {
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    BKey key = path.toKey();
    QueryParams q = Requests.query(ctx).allow(GET_PARAMS, IGNORED);
    RequestOptions options =
        RequestOptions.DEFAULTS.r(q.quorum("r")).pr(q.quorum("pr")).timeout(q.timeout());
    GetResult result =
        Requests.await(
            metrics.time("get", () -> node.client().get(key, options)), timeout(options));
    RiakHeaders.writeContext(ctx, result.context());
    if (!result.found()) {
      Requests.text(ctx, 404, "not found\n");
      return;
    }
    Optional<String> vtag = q.get("vtag");
    if (vtag.isPresent()) {
      Content chosen =
          result.siblings().stream()
              .filter(c -> Vtags.of(c).equals(vtag.get()))
              .findFirst()
              .orElseThrow(() -> HttpError.notFound("no sibling with vtag " + vtag.get()));
      single(ctx, chosen, 200);
    } else if (result.hasSiblings()) {
      siblings(ctx, result.siblings());
    } else if (notModified(ctx, result.value())) {
      ctx.status(304);
    } else {
      single(ctx, result.value(), 200);
    }
  }

  private static boolean notModified(Context ctx, Content c) {
    String inm = ctx.header("If-None-Match");
    if (inm != null) {
      return RiakHeaders.etagMatches(inm, Vtags.of(c));
    }
    String ims = ctx.header("If-Modified-Since");
    if (ims != null && c.lastModified() > 0) {
      long since = RiakHeaders.parseHttpDate(ims);
      // HTTP dates have second precision.
      return since >= 0 && c.lastModified() / 1000 <= since / 1000;
    }
    return false;
  }

  private static void single(Context ctx, Content c, int status) {
    RiakHeaders.writeContent(ctx, c);
    ctx.status(status).result(c.value());
  }

  /** 300 Multiple Choices: the vtags as text, or every sibling when multipart/mixed is accepted. */
  private static void siblings(Context ctx, List<Content> siblings) {
    if (Requests.accepts(ctx, "multipart/mixed")) {
      MultipartWriter.Body body = MultipartWriter.write(siblings);
      ctx.status(300).contentType(body.contentType()).result(body.bytes());
      return;
    }
    StringBuilder sb = new StringBuilder("Siblings:\n");
    for (Content c : siblings) {
      sb.append(Vtags.of(c)).append('\n');
    }
    Requests.text(ctx, 300, sb.toString());
  }

  // ------------------------------------------------------------------ PUT / POST

  private void put(Context ctx) {
    write(ctx, ObjectPath.parse(Requests.rawPath(ctx)), false);
  }

  /** POST to a bucket's keys: the node picks a random key and answers 201 with its Location. */
  private void create(Context ctx) {
    ObjectPath bucket = ObjectPath.parse(Requests.rawPath(ctx));
    write(ctx, bucket.withKey(newKey()), true);
  }

  private static byte[] newKey() {
    return dev.partisan.kv.GeneratedKeys.next();
  }

  private void write(Context ctx, ObjectPath path, boolean created) {
    BKey key = path.toKey();
    QueryParams q = Requests.query(ctx).allow(PUT_PARAMS, IGNORED);
    RequestOptions options =
        RequestOptions.DEFAULTS
            .r(q.quorum("r"))
            .pr(q.quorum("pr"))
            .w(q.quorum("w"))
            .dw(q.quorum("dw"))
            .pw(q.quorum("pw"))
            .timeout(q.timeout())
            .returnBody(q.bool("returnbody", false));
    CausalContext context = RiakHeaders.context(ctx);
    Content content =
        new Content(
            Requests.body(ctx, maxValueBytes),
            RiakHeaders.contentType(ctx),
            RiakHeaders.userMeta(ctx),
            0,
            IndexHeaders.read(ctx));
    checkPreconditions(ctx, key, options);
    PutResult result =
        Requests.await(
            metrics.time("put", () -> node.client().put(key, content, context, options)),
            timeout(options));
    RiakHeaders.writeContext(ctx, result.context());
    if (created) {
      ctx.header("Location", path.keyPath());
    }
    List<Content> after = result.siblings();
    if (!options.returnBody() || after.isEmpty()) {
      ctx.status(created ? 201 : 204);
    } else if (after.size() == 1) {
      single(ctx, after.get(0), created ? 201 : 200);
    } else {
      siblings(ctx, after);
    }
  }

  /**
   * If-None-Match and If-Match on writes, checked by a read before the write (not atomic with it,
   * as in riak): 412 when the condition fails.
   */
  private void checkPreconditions(Context ctx, BKey key, RequestOptions options) {
    String ifNoneMatch = ctx.header("If-None-Match");
    String ifMatch = ctx.header("If-Match");
    if (ifNoneMatch == null && ifMatch == null) {
      return;
    }
    RequestOptions read = options.returnBody(false);
    GetResult current =
        Requests.await(metrics.time("get", () -> node.client().get(key, read)), timeout(read));
    List<String> vtags = current.siblings().stream().map(Vtags::of).toList();
    if (ifNoneMatch != null
        && current.found()
        && (ifNoneMatch.trim().equals("*")
            || vtags.stream().anyMatch(v -> RiakHeaders.etagMatches(ifNoneMatch, v)))) {
      throw new HttpError(412, "precondition failed: the object exists (If-None-Match)");
    }
    if (ifMatch != null
        && (!current.found()
            || (!ifMatch.trim().equals("*")
                && vtags.stream().noneMatch(v -> RiakHeaders.etagMatches(ifMatch, v))))) {
      throw new HttpError(412, "precondition failed: no sibling matches If-Match");
    }
  }

  // ------------------------------------------------------------------ DELETE

  private void delete(Context ctx) {
    BKey key = ObjectPath.parse(Requests.rawPath(ctx)).toKey();
    QueryParams q = Requests.query(ctx).allow(DELETE_PARAMS, IGNORED);
    // Riak's rw is the quorum for both halves of a delete; explicit r / w win over it.
    var rw = q.quorum("rw");
    RequestOptions options =
        RequestOptions.DEFAULTS
            .r(q.has("r") ? q.quorum("r") : rw)
            .w(q.has("w") ? q.quorum("w") : rw)
            .pr(q.quorum("pr"))
            .pw(q.quorum("pw"))
            .dw(q.quorum("dw"))
            .timeout(q.timeout());
    CausalContext context = RiakHeaders.context(ctx);
    DeleteResult result =
        Requests.await(
            metrics.time("delete", () -> node.client().delete(key, context, options)),
            // A delete without a context reads before it writes: allow for both.
            timeout(options).multipliedBy(2));
    if (result.existed()) {
      ctx.status(204);
    } else {
      Requests.text(ctx, 404, "not found\n");
    }
  }

  private Duration timeout(RequestOptions options) {
    return options.timeout() != null ? options.timeout() : node.config().defaultTimeout();
  }
}
