package dev.partisan.pb.dispatch;

import dev.partisan.kv.security.Permission;
import java.nio.charset.StandardCharsets;

/**
 * A permission and where it is needed: on {@code bucket} of {@code type}, or on the type itself
 * when {@code bucket} is null. {@link #OPEN} (no permission) is for requests any authenticated user
 * may make.
 */
public record Required(Permission permission, byte[] type, byte[] bucket) {
  static final byte[] DEFAULT_TYPE = "default".getBytes(StandardCharsets.UTF_8);

  /** No permission needed. */
  public static final Required OPEN = new Required(null, null, null);

  public boolean open() {
    return permission == null;
  }

  /**
   * Riak's words for a refusal: {@code Permission denied: user 'U' does not have 'riak_kv.get' on
   * TYPE/BUCKET} (or on TYPE for type-level requests); names that are not printable UTF-8 are shown
   * escaped.
   */
  public String denied(String user) {
    String where =
        PrintableBytes.of(type) + (bucket == null ? "" : "/" + PrintableBytes.of(bucket));
    // User names are checked printable when created (SecurityService), so shown as they are.
    return "Permission denied: user '"
        + user
        + "' does not have '"
        + permission.riakName()
        + "' on "
        + where;
  }
}
