package dev.partisan.http.api;

import dev.partisan.kv.BKey;
import dev.partisan.ring.KeyHasher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bucket type, bucket and key named by a request path, decoded from the raw (still
 * percent-encoded) URI as bytes. Riak's keys are arbitrary bytes, so decoding is strict
 * percent-decoding to bytes, never to text: {@code %2F} is a slash inside a key, {@code +} is a
 * plus sign, and a key that is not valid UTF-8 is still a key.
 *
 * @param type bucket type ({@code default} under {@code /buckets/})
 * @param bucket the bucket
 * @param key the key, or null for bucket-level paths
 * @param typed whether the path used the {@code /types/{type}/} form (links are built the same way)
 */
public record ObjectPath(byte[] type, byte[] bucket, byte[] key, boolean typed) {
  private static final byte[] DEFAULT_TYPE =
      KeyHasher.DEFAULT_BUCKET_TYPE.getBytes(StandardCharsets.UTF_8);

  /**
   * Parses {@code /buckets/B[/...]} or {@code /types/T/buckets/B[/...]}: the key is the segment
   * after {@code keys}, if there is one.
   */
  public static ObjectPath parse(String rawPath) {
    String[] s = rawPath.split("/", -1);
    // s[0] is the empty string before the leading slash.
    int i = 1;
    byte[] type = DEFAULT_TYPE;
    boolean typed = false;
    if (s.length > 2 && s[1].equals("types")) {
      type = segment(s[2], "bucket type");
      typed = true;
      i = 3;
    }
    if (s.length <= i + 1 || !s[i].equals("buckets")) {
      throw HttpError.badRequest("expected /buckets/{bucket}/... in " + rawPath);
    }
    byte[] bucket = segment(s[i + 1], "bucket");
    byte[] key = null;
    if (s.length > i + 3 && s[i + 2].equals("keys")) {
      key = segment(s[i + 3], "key");
    }
    return new ObjectPath(type, bucket, key, typed);
  }

  /**
   * The bucket type a type-level path names: the segment after {@code /types/}, or {@code default}
   * for paths that do not start with it ({@code /buckets}).
   */
  public static byte[] typeOf(String rawPath) {
    if (!rawPath.startsWith("/types/")) {
      return DEFAULT_TYPE.clone();
    }
    int end = rawPath.indexOf('/', 7);
    return segment(rawPath.substring(7, end < 0 ? rawPath.length() : end), "bucket type");
  }

  private static byte[] segment(String raw, String what) {
    byte[] b = percentDecode(raw, what);
    if (b.length == 0) {
      throw HttpError.badRequest(what + " must not be empty");
    }
    return b;
  }

  /** Strict RFC 3986 percent-decoding to bytes; a bad escape is a 400. */
  static byte[] percentDecode(String raw, String what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw HttpError.badRequest("bad percent-encoding in " + what);
        }
        int hi = hexDigit(raw.charAt(i + 1));
        int lo = hexDigit(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw HttpError.badRequest("bad percent-encoding in " + what);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x7f) {
        // Raw non-ASCII in a path arrives as characters: take their UTF-8 bytes.
        int cp = raw.codePointAt(i);
        byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(u, 0, u.length);
        i += Character.charCount(cp) - 1;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /**
   * An RFC 3986 HEXDIG's value, or -1. ASCII only: {@link Character#digit} would also take other
   * scripts' digits (fullwidth, Arabic-Indic ...), so {@code %\u0661\u0662} decoded as {@code %12}.
   */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  public static String percentEncode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  public BKey toKey() {
    if (key == null) {
      throw HttpError.badRequest("the path names no key");
    }
    try {
      return new BKey(type, bucket, key);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  public ObjectPath withKey(byte[] k) {
    return new ObjectPath(type, bucket, k, typed);
  }

  /** The path of this bucket, in the form the request used. */
  public String bucketPath() {
    String b = "/buckets/" + percentEncode(bucket);
    return typed ? "/types/" + percentEncode(type) + b : b;
  }

  /** The path of this key, in the form the request used. */
  public String keyPath() {
    return bucketPath() + "/keys/" + percentEncode(key);
  }
}
