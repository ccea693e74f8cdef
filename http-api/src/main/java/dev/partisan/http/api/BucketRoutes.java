package dev.partisan.http.api;

import dev.partisan.kv.BKey;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.KvNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Bucket properties: {@code GET/PUT/DELETE /buckets/{b}/props} and the same under {@code
 * /types/{t}/}. Changes are spread to every node with the ring gossip (last writer wins per
 * bucket). DELETE puts the bucket back to the node's defaults.
 */
public final class BucketRoutes {
  private static final long MAX_PROPS_BYTES = 64 * 1024;

  private final KvNode node;

  public BucketRoutes(KvNode node) {
    this.node = node;
  }

  public void register(RoutesConfig routes) {
    for (String bucket : List.of("/buckets/{bucket}", "/types/{type}/buckets/{bucket}")) {
      routes.get(bucket + "/props", this::get);
      routes.put(bucket + "/props", this::put);
      routes.post(bucket + "/props", this::put);
      routes.delete(bucket + "/props", this::reset);
    }
  }

  private void get(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    BKey probe = probe(path);
    json(ctx, 200, BucketPropsJson.write(probe.typeString(), probe.bucketString(), props(probe)));
  }

  private void put(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    BKey probe = probe(path);
    BucketProps next = BucketPropsJson.apply(props(probe), Requests.body(ctx, MAX_PROPS_BYTES));
    node.setBucketProps(path.type(), path.bucket(), next);
    ctx.status(204);
  }

  private void reset(Context ctx) {
    Requests.query(ctx).allow(Set.of(), Set.of());
    ObjectPath path = ObjectPath.parse(Requests.rawPath(ctx));
    probe(path);
    node.setBucketProps(path.type(), path.bucket(), node.config().bucketDefaults());
    ctx.status(204);
  }

  private BucketProps props(BKey probe) {
    return node.bucketProps(probe);
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
