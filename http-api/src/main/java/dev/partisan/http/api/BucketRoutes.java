package dev.partisan.http.api;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.BucketType;
import dev.partisan.kv.KvNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Bucket properties: {@code GET/PUT/DELETE /buckets/{b}/props} and the same under {@code
 * /types/{t}/}; bucket type properties: {@code GET/PUT /types/{t}/props}. Changes are spread to
 * every node with the ring gossip (last writer wins per bucket). DELETE puts the bucket back to its
 * type's properties. Every {@code /types/{t}/...} request (objects, keys and the rest included) is
 * refused with riak's 404 "Unknown bucket type" while {@code t} does not exist or is not active.
 */
public final class BucketRoutes {
  private static final long MAX_PROPS_BYTES = 64 * 1024;

  private final KvNode node;

  public BucketRoutes(KvNode node) {
    this.node = node;
  }

  public void register(RoutesConfig routes) {
    routes.beforeMatched("/types/{type}/*", this::requireActiveType);
    for (String bucket : List.of("/buckets/{bucket}", "/types/{type}/buckets/{bucket}")) {
      routes.get(bucket + "/props", this::get);
      routes.put(bucket + "/props", this::put);
      routes.post(bucket + "/props", this::put);
      routes.delete(bucket + "/props", this::reset);
    }
    routes.get("/types/{type}/props", this::getType);
    routes.put("/types/{type}/props", this::putType);
    routes.post("/types/{type}/props", this::putType);
  }

  private void requireActiveType(Context ctx) {
    try {
      node.bucketTypes().requireActive(typeName(ctx).getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
  }

  private static String typeName(Context ctx) {
    return ctx.pathParam("type");
  }

  private void get(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    BKey probe = probe(path);
    json(
        ctx,
        200,
        BucketPropsJson.write(probe.typeString(), probe.bucketString(), node.bucketProps(probe)));
  }

  private void put(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    BKey probe = probe(path);
    BucketProps next =
        BucketPropsJson.apply(node.bucketProps(probe), Requests.body(ctx, MAX_PROPS_BYTES));
    try {
      node.setBucketProps(path.type(), path.bucket(), next);
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    ctx.status(204);
  }

  private void reset(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    probe(path);
    try {
      node.resetBucketProps(path.type(), path.bucket());
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    ctx.status(204);
  }

  private void getType(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    BucketType type =
        node.bucketTypes()
            .status(typeName(ctx))
            .orElseThrow(() -> HttpError.notFound("Unknown bucket type: " + typeName(ctx)));
    json(ctx, 200, typeJson(node, type));
  }

  private void putType(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    String name = typeName(ctx);
    if (BucketType.DEFAULT.equals(name)) {
      throw HttpError.badRequest(
          "the default bucket type cannot be changed (its properties are the node's bucket"
              + " defaults)");
    }
    BucketProps current = node.bucketTypeProps(name.getBytes(StandardCharsets.UTF_8));
    BucketProps next = BucketPropsJson.apply(current, Requests.body(ctx, MAX_PROPS_BYTES));
    try {
      node.bucketTypes().update(name, next);
    } catch (RuntimeException e) {
      throw KvErrors.toHttp(e);
    }
    ctx.status(204);
  }

  /** A type's properties as riak returns them, with {@code active} and {@code claimant}. */
  public static Object typeJson(KvNode node, BucketType type) {
    return BucketPropsJson.writeType(type.props(), type.active(), node.ring().ring().claimant());
  }

  /** Any key of the bucket: properties are looked up by a key's type and bucket. */
  private static BKey probe(ObjectPath path) {
    return path.withKey(new byte[] {0}).toKey();
  }

  static void json(Context ctx, int status, Object value) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(BucketPropsJson.JSON.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
