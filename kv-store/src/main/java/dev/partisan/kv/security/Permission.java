package dev.partisan.kv.security;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a grant allows: Riak 2's permissions, by their Riak names, and {@code partisan.admin} for
 * the HTTP admin endpoints. On the wire and in the metadata a permission travels by its name, so a
 * name this build does not know (from a newer peer) is ignored rather than misread.
 */
public enum Permission {
  RIAK_KV_GET("riak_kv.get"),
  RIAK_KV_PUT("riak_kv.put"),
  RIAK_KV_DELETE("riak_kv.delete"),
  RIAK_KV_INDEX("riak_kv.index"),
  RIAK_KV_LIST_KEYS("riak_kv.list_keys"),
  RIAK_KV_LIST_BUCKETS("riak_kv.list_buckets"),
  RIAK_KV_MAPREDUCE("riak_kv.mapreduce"),
  RIAK_CORE_GET_BUCKET("riak_core.get_bucket"),
  RIAK_CORE_SET_BUCKET("riak_core.set_bucket"),
  RIAK_CORE_GET_BUCKET_TYPE("riak_core.get_bucket_type"),
  RIAK_CORE_SET_BUCKET_TYPE("riak_core.set_bucket_type"),
  PARTISAN_ADMIN("partisan.admin");

  private final String riakName;

  Permission(String riakName) {
    this.riakName = riakName;
  }

  /** The permission's name as operators write it, e.g. {@code riak_kv.get}. */
  public String riakName() {
    return riakName;
  }

  /** The permission named {@code name}; IllegalArgumentException naming it if there is none. */
  public static Permission parse(String name) {
    Permission p = find(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown permission '"
              + SecurityNames.printable(name)
              + "' (known: "
              + Arrays.stream(values()).map(Permission::riakName).collect(Collectors.joining(", "))
              + ")");
    }
    return p;
  }

  /** The permission named {@code name}, or null. */
  static Permission find(String name) {
    for (Permission p : values()) {
      if (p.riakName.equals(name)) {
        return p;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return riakName;
  }
}
