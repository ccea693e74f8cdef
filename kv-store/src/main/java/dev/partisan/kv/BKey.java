package dev.partisan.kv;

import dev.partisan.ring.KeyHasher;
import dev.partisan.ring.RingPosition;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The full name of an object: bucket type, bucket and key, each arbitrary bytes (UTF-8 when built
 * from strings). Its storage form is the ring's canonical key encoding, so the same bytes decide
 * placement and order on disk.
 */
public record BKey(byte[] type, byte[] bucket, byte[] key) {
  public static final int MAX_TYPE_BYTES = 255;
  public static final int MAX_BUCKET_BYTES = 65_535;
  public static final int MAX_KEY_BYTES = 65_535;

  public BKey {
    check("bucket type", type, MAX_TYPE_BYTES);
    check("bucket", bucket, MAX_BUCKET_BYTES);
    check("key", key, MAX_KEY_BYTES);
    type = type.clone();
    bucket = bucket.clone();
    key = key.clone();
  }

  /** A key in the default bucket type. */
  public static BKey of(String bucket, String key) {
    return of(KeyHasher.DEFAULT_BUCKET_TYPE, bucket, key);
  }

  public static BKey of(String type, String bucket, String key) {
    Objects.requireNonNull(type, "bucket type");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    return new BKey(utf8(type), utf8(bucket), utf8(key));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void check(String what, byte[] bytes, int max) {
    if (bytes == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (bytes.length > max) {
      throw new IllegalArgumentException(
          what + " is " + bytes.length + " bytes, more than the limit of " + max);
    }
  }

  public RingPosition position() {
    return KeyHasher.position(type, bucket, key);
  }

  /** The ring's canonical, length-prefixed encoding: how backends store the key. */
  public byte[] toStorageKey() {
    return KeyHasher.encode(type, bucket, key);
  }

  /** Inverse of {@link #toStorageKey}; throws IllegalArgumentException on malformed bytes. */
  public static BKey fromStorageKey(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] t = field(b, "bucket type");
    byte[] bu = field(b, "bucket");
    byte[] k = field(b, "key");
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after the key");
    }
    return new BKey(t, bu, k);
  }

  private static byte[] field(ByteBuffer b, String what) {
    if (b.remaining() < 4) {
      throw new IllegalArgumentException("truncated storage key at " + what);
    }
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("bad " + what + " length " + n + " in storage key");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  public String typeString() {
    return show(type);
  }

  public String bucketString() {
    return show(bucket);
  }

  public String keyString() {
    return show(key);
  }

  /** UTF-8 text when the bytes are valid UTF-8, otherwise 0x-prefixed hex. */
  private static String show(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return "0x" + HexFormat.of().formatHex(bytes);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BKey k
        && Arrays.equals(type, k.type)
        && Arrays.equals(bucket, k.bucket)
        && Arrays.equals(key, k.key);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(type) + Arrays.hashCode(bucket)) + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return typeString() + "/" + bucketString() + "/" + keyString();
  }
}
