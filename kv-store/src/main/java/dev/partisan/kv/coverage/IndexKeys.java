package dev.partisan.kv.coverage;

import dev.partisan.kv.BKey;
import dev.partisan.kv.backend.IndexExtractor;
import dev.partisan.kv.object.IndexEntry;
import dev.partisan.kv.object.ObjectCodec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

/**
 * The sortable encoding of index keys: one per (bucket type, bucket, field, value, key), ordered so
 * that a query is a range scan of one partition's index keys.
 *
 * <pre>
 * indexKey := text(type) text(bucket) text(field) term text(key)
 * term     := text(value)                                      for _bin fields (and $key)
 *           | 0x00 ~u32(n) ~magnitude  |  0x01  |  0x02 u32(n) magnitude     for _int fields:
 *             a negative, zero or positive integer; magnitude = its n big-endian bytes
 * text(b)  := b with every 0x00 written 0x00 0xFF, then 0x00 0x01
 * </pre>
 *
 * Byte strings then sort as unsigned bytes (the terminator 0x00 0x01 is below any continuation 0x00
 * 0xFF or byte above 0x00), and integers numerically at any size: negatives first, larger
 * magnitudes further from zero (the complemented length and bytes reverse their order). Every part
 * is self-delimiting, so a longer tuple never sorts inside a shorter one's range.
 *
 * <p>Every live object also gets the implicit entry {@code $key = key}, which answers the {@code
 * $key} range and {@code $bucket} queries (riak's special fields) in key order.
 */
public final class IndexKeys {
  /** The implicit field that indexes every live object under its own key. */
  public static final String KEY_FIELD = "$key";

  private static final int NEGATIVE = 0x00;
  private static final int ZERO = 0x01;
  private static final int POSITIVE = 0x02;

  private IndexKeys() {}

  /** One decoded index key; {@code term} is the value's bytes ({@code _int}: decimal text). */
  public record Entry(byte[] type, byte[] bucket, String field, byte[] term, byte[] key) {
    public BKey objectKey() {
      return new BKey(type, bucket, key);
    }
  }

  /** The extractor the node gives its backend: the live siblings' entries plus {@code $key}. */
  public static IndexExtractor extractor() {
    return IndexKeys::forObject;
  }

  static Collection<byte[]> forObject(byte[] storageKey, byte[] value) {
    try {
      SortedSet<IndexEntry> entries = ObjectCodec.liveIndexes(value);
      if (entries == null) {
        return List.of(); // a tombstone is not indexed
      }
      BKey k = BKey.fromStorageKey(storageKey);
      List<byte[]> keys = new ArrayList<>(entries.size() + 1);
      keys.add(encode(k.type(), k.bucket(), KEY_FIELD, k.key(), k.key()));
      for (IndexEntry e : entries) {
        keys.add(encode(k.type(), k.bucket(), e.field(), e.value(), k.key()));
      }
      return keys;
    } catch (RuntimeException e) {
      return List.of(); // unreadable: nothing to index (reads report it)
    }
  }

  public static byte[] encode(byte[] type, byte[] bucket, String field, byte[] term, byte[] key) {
    ByteArrayOutputStream out = termPrefixStream(type, bucket, field, term);
    text(out, key);
    return out.toByteArray();
  }

  /** Every index key of the field in the bucket starts with this. */
  public static byte[] fieldPrefix(byte[] type, byte[] bucket, String field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    text(out, type);
    text(out, bucket);
    text(out, field.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Every index key of the field's value {@code term} in the bucket starts with this. */
  public static byte[] termPrefix(byte[] type, byte[] bucket, String field, byte[] term) {
    return termPrefixStream(type, bucket, field, term).toByteArray();
  }

  private static ByteArrayOutputStream termPrefixStream(
      byte[] type, byte[] bucket, String field, byte[] term) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + term.length);
    out.writeBytes(fieldPrefix(type, bucket, field));
    if (IndexEntry.isIntegerField(field)) {
      integer(out, IndexEntry.parseInteger(field, term));
    } else {
      text(out, term);
    }
    return out;
  }

  /**
   * The smallest byte string above every string that starts with {@code prefix}: the exclusive end
   * of a prefix's range. Null when there is none (the prefix is all 0xFF).
   */
  public static byte[] after(byte[] prefix) {
    int i = prefix.length - 1;
    while (i >= 0 && prefix[i] == (byte) 0xFF) {
      i--;
    }
    if (i < 0) {
      return null;
    }
    byte[] out = Arrays.copyOf(prefix, i + 1);
    out[i]++;
    return out;
  }

  /** The smallest byte string above {@code key}: where a scan resumes strictly after it. */
  public static byte[] justAfter(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  public static Entry decode(byte[] indexKey) {
    int[] pos = {0};
    byte[] type = untext(indexKey, pos);
    byte[] bucket = untext(indexKey, pos);
    String field = new String(untext(indexKey, pos), StandardCharsets.UTF_8);
    byte[] term =
        IndexEntry.isIntegerField(field)
            ? unInteger(indexKey, pos).toString().getBytes(StandardCharsets.US_ASCII)
            : untext(indexKey, pos);
    byte[] key = untext(indexKey, pos);
    if (pos[0] != indexKey.length) {
      throw new IllegalArgumentException("trailing bytes after an index key");
    }
    return new Entry(type, bucket, field, term, key);
  }

  /** The key of the object an index key belongs to. */
  public static BKey objectKey(byte[] indexKey) {
    return decode(indexKey).objectKey();
  }

  private static void text(ByteArrayOutputStream out, byte[] bytes) {
    for (byte b : bytes) {
      out.write(b);
      if (b == 0) {
        out.write(0xFF);
      }
    }
    out.write(0);
    out.write(1);
  }

  private static byte[] untext(byte[] in, int[] pos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = pos[0];
    while (true) {
      if (i + 1 > in.length) {
        throw new IllegalArgumentException("truncated index key");
      }
      byte b = in[i++];
      if (b != 0) {
        out.write(b);
        continue;
      }
      if (i >= in.length) {
        throw new IllegalArgumentException("truncated index key");
      }
      byte next = in[i++];
      if (next == 1) {
        pos[0] = i;
        return out.toByteArray();
      }
      if (next != (byte) 0xFF) {
        throw new IllegalArgumentException("bad escape in index key");
      }
      out.write(0);
    }
  }

  private static void integer(ByteArrayOutputStream out, BigInteger v) {
    int sign = v.signum();
    if (sign == 0) {
      out.write(ZERO);
      return;
    }
    byte[] magnitude = magnitude(v.abs());
    int n = magnitude.length;
    out.write(sign < 0 ? NEGATIVE : POSITIVE);
    int len = sign < 0 ? ~n : n;
    out.write(len >>> 24);
    out.write(len >>> 16);
    out.write(len >>> 8);
    out.write(len);
    for (byte b : magnitude) {
      out.write(sign < 0 ? ~b : b);
    }
  }

  private static BigInteger unInteger(byte[] in, int[] pos) {
    int i = pos[0];
    if (i >= in.length) {
      throw new IllegalArgumentException("truncated index integer");
    }
    int sign = in[i++];
    if (sign == ZERO) {
      pos[0] = i;
      return BigInteger.ZERO;
    }
    if ((sign != NEGATIVE && sign != POSITIVE) || i + 4 > in.length) {
      throw new IllegalArgumentException("bad index integer");
    }
    int len =
        ((in[i] & 0xFF) << 24)
            | ((in[i + 1] & 0xFF) << 16)
            | ((in[i + 2] & 0xFF) << 8)
            | (in[i + 3] & 0xFF);
    i += 4;
    int n = sign == NEGATIVE ? ~len : len;
    if (n <= 0 || i + n > in.length) {
      throw new IllegalArgumentException("bad index integer length");
    }
    byte[] magnitude = new byte[n];
    for (int j = 0; j < n; j++) {
      magnitude[j] = sign == NEGATIVE ? (byte) ~in[i + j] : in[i + j];
    }
    pos[0] = i + n;
    BigInteger m = new BigInteger(1, magnitude);
    return sign == NEGATIVE ? m.negate() : m;
  }

  private static byte[] magnitude(BigInteger positive) {
    byte[] b = positive.toByteArray(); // two's complement: may start with a sign byte 0
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
