package dev.partisan.pb.dispatch;

import com.google.protobuf.ByteString;
import dev.partisan.kv.security.Permission;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a request needs to be served once security is enabled: every route of the {@link
 * PbDispatcher} declares one when it is registered, so a message cannot be served without a
 * decision about its access (fail-closed by construction). {@link #open()} is for requests any
 * authenticated user may make (ping, server info, client ids), as in Riak.
 *
 * @param <T> the parsed request message ({@code Void} for requests without a body)
 */
@FunctionalInterface
public interface Access<T> {
  /** The permission and scope {@code request} needs; {@link Required#OPEN} for none. */
  Required of(T request);

  /** Any authenticated user may make the request. */
  static <T> Access<T> open() {
    return request -> Required.OPEN;
  }

  /**
   * {@code permission} on the request's bucket; an absent type is Riak's {@code default}.
   *
   * @param hasType whether the request carries a type (proto2 presence)
   */
  static <T> Access<T> bucket(
      Permission permission,
      Predicate<T> hasType,
      Function<T, ByteString> type,
      Function<T, ByteString> bucket) {
    Objects.requireNonNull(permission);
    return r ->
        new Required(
            permission, typeOf(hasType.test(r), type.apply(r)), bucket.apply(r).toByteArray());
  }

  /** {@code permission} on the request's bucket type (list buckets, get or set a type). */
  static <T> Access<T> type(
      Permission permission, Predicate<T> hasType, Function<T, ByteString> type) {
    Objects.requireNonNull(permission);
    return r -> new Required(permission, typeOf(hasType.test(r), type.apply(r)), null);
  }

  private static byte[] typeOf(boolean present, ByteString type) {
    return present ? type.toByteArray() : Required.DEFAULT_TYPE.clone();
  }
}
