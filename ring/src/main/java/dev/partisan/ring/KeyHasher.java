package dev.partisan.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Maps (bucket type, bucket, key) to a ring position.
 *
 * <p>The hashed bytes are a wire format: every node must place a key identically, across versions,
 * or data written before an upgrade is looked for in the wrong place. The encoding is
 *
 * <pre>
 *   u32 len(type)   || type bytes
 *   u32 len(bucket) || bucket bytes
 *   u32 len(key)    || key bytes
 * </pre>
 *
 * with big-endian unsigned 32-bit lengths, and the position is the SHA-1 of those bytes read as a
 * big-endian 160-bit integer. Length prefixes make the encoding injective: ("ab", "c") and ("a",
 * "bc") hash differently, which plain concatenation would not guarantee. String arguments are
 * encoded as UTF-8.
 */
public final class KeyHasher {
  /** The bucket type used when a client names none, as in riak. */
  public static final String DEFAULT_BUCKET_TYPE = "default";

  private static final MessageDigest PROTOTYPE = newDigest();

  private KeyHasher() {}

  public static RingPosition position(String bucketType, String bucket, String key) {
    return position(utf8(bucketType), utf8(bucket), utf8(key));
  }

  public static RingPosition position(byte[] bucketType, byte[] bucket, byte[] key) {
    // One contiguous update: byte-at-a-time updates for the length prefixes cost a third more.
    return RingPosition.fromBytes(digest().digest(encode(bucketType, bucket, key)));
  }

  /** The exact bytes that {@link #position} hashes; exposed for documentation and tests. */
  public static byte[] encode(byte[] bucketType, byte[] bucket, byte[] key) {
    byte[] out = new byte[12 + bucketType.length + bucket.length + key.length];
    int at = put(out, 0, bucketType);
    at = put(out, at, bucket);
    put(out, at, key);
    return out;
  }

  private static int put(byte[] out, int at, byte[] field) {
    writeLength(out, at, field.length);
    System.arraycopy(field, 0, out, at + 4, field.length);
    return at + 4 + field.length;
  }

  private static void writeLength(byte[] out, int at, int n) {
    out[at] = (byte) (n >>> 24);
    out[at + 1] = (byte) (n >>> 16);
    out[at + 2] = (byte) (n >>> 8);
    out[at + 3] = (byte) n;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // Cloning a primed instance skips the provider lookup of getInstance on every call, and unlike a
  // ThreadLocal it costs nothing per virtual thread.
  private static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newDigest();
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-1", e);
    }
  }
}
