package dev.partisan.kv.security;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Where a grant applies, as Riak has it: {@code on any} (type and bucket null), {@code on TYPE}
 * (every bucket of a bucket type, and the type itself), or {@code on TYPE BUCKET}.
 */
public record Scope(String type, String bucket) {
  public static final Scope ANY = new Scope(null, null);

  public Scope {
    if (type == null && bucket != null) {
      throw new IllegalArgumentException("a bucket scope needs its bucket type");
    }
    if (type != null) {
      SecurityNames.text("bucket type", type);
    }
    if (bucket != null) {
      SecurityNames.text("bucket", bucket);
    }
  }

  public static Scope type(String type) {
    return new Scope(type, null);
  }

  public static Scope bucket(String type, String bucket) {
    return new Scope(type, bucket);
  }

  /**
   * True if this scope covers an operation on {@code bucket} of {@code type}: a bucket scope only
   * that bucket, a type scope every bucket of the type and the type itself (bucket null), {@code
   * any} everything, including cluster-wide operations (type null). Names that are not UTF-8 can
   * only be covered by {@code any} (grants name types and buckets as text).
   */
  public boolean covers(byte[] type, byte[] bucket) {
    if (this.type == null) {
      return true;
    }
    if (type == null || !this.type.equals(utf8(type))) {
      return false;
    }
    return this.bucket == null || (bucket != null && this.bucket.equals(utf8(bucket)));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** As Riak prints it: {@code any}, {@code TYPE} or {@code TYPE BUCKET}. */
  @Override
  public String toString() {
    return type == null ? "any" : bucket == null ? type : type + " " + bucket;
  }
}
