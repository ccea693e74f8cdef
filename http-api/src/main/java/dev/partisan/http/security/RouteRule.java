package dev.partisan.http.security;

import dev.partisan.kv.security.Permission;
import java.util.Objects;

/**
 * What a route needs once security is enabled: nothing ({@link Access#OPEN}), any authenticated
 * user ({@link Access#AUTHENTICATED}), or a {@link Permission} on what the path names.
 *
 * @param access how the request is checked
 * @param permission the permission needed, null for {@code OPEN} and {@code AUTHENTICATED}
 */
public record RouteRule(Access access, Permission permission) {
  /** How a route is checked, and on what its permission is asked. */
  public enum Access {
    /** Served to anyone, on either listener ({@code /ping}, as Riak's). */
    OPEN,
    /** Any authenticated user, no permission. */
    AUTHENTICATED,
    /** The permission on the bucket the path names (type {@code default} under /buckets/). */
    BUCKET,
    /** The permission on the bucket type the path names (bucket null). */
    TYPE,
    /** The permission cluster-wide (type and bucket null: only grants {@code on any}). */
    CLUSTER
  }

  public RouteRule {
    Objects.requireNonNull(access, "access");
    boolean needsPermission = access != Access.OPEN && access != Access.AUTHENTICATED;
    if (needsPermission != (permission != null)) {
      throw new IllegalArgumentException(
          access + " rules take " + (needsPermission ? "a" : "no") + " permission");
    }
  }

  static RouteRule open() {
    return new RouteRule(Access.OPEN, null);
  }

  static RouteRule authenticated() {
    return new RouteRule(Access.AUTHENTICATED, null);
  }

  static RouteRule bucket(Permission p) {
    return new RouteRule(Access.BUCKET, p);
  }

  static RouteRule type(Permission p) {
    return new RouteRule(Access.TYPE, p);
  }

  static RouteRule cluster(Permission p) {
    return new RouteRule(Access.CLUSTER, p);
  }
}
