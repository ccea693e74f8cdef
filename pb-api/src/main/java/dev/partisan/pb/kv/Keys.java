package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BKey;
import dev.partisan.kv.RequestOptions;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.ring.KeyHasher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Names and common options of PB requests. */
final class Keys {
  private static final byte[] DEFAULT_TYPE =
      KeyHasher.DEFAULT_BUCKET_TYPE.getBytes(StandardCharsets.UTF_8);

  private Keys() {}

  /** The object's name; an absent type is Riak's {@code default}. */
  static BKey of(boolean hasType, ByteString type, ByteString bucket, byte[] key) {
    try {
      return new BKey(hasType ? type.toByteArray() : DEFAULT_TYPE, bucket.toByteArray(), key);
    } catch (IllegalArgumentException e) {
      throw new PbRequestException("bad request: " + e.getMessage());
    }
  }

  /** A request's bucket type (for requests without a bucket); absent is Riak's {@code default}. */
  static byte[] type(boolean hasType, ByteString type) {
    if (!hasType) {
      return DEFAULT_TYPE.clone();
    }
    if (type.isEmpty() || type.size() > 255) {
      throw new PbRequestException("bad request: a bucket type name is 1 to 255 bytes");
    }
    return type.toByteArray();
  }

  /** Riak's timeout field, in milliseconds; null when absent (the node's default applies). */
  static Duration timeout(boolean present, int millis) {
    if (!present) {
      return null;
    }
    if (millis <= 0) {
      throw new PbRequestException("invalid timeout: " + Integer.toUnsignedString(millis) + " ms");
    }
    return Duration.ofMillis(millis);
  }

  /** Riak's n_val request option: the options with it, when present. */
  static RequestOptions withNVal(RequestOptions options, boolean present, int nVal) {
    if (!present) {
      return options;
    }
    if (nVal <= 0) {
      throw new PbRequestException("invalid n_val: " + Integer.toUnsignedString(nVal));
    }
    return options.nVal(nVal);
  }
}
