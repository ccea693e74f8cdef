package dev.partisan.kv.object;

/**
 * A fast, stable 64-bit hash (FNV-1a over the bytes, finished with the MurmurHash3 64-bit mixer):
 * the same on every JVM and across restarts, which the anti-entropy trees need since replicas on
 * different nodes compare them. Not cryptographic.
 */
public final class Hash64 {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Hash64() {}

  public static long bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public static long bytes(byte[] b, int from, int to) {
    long h = FNV_OFFSET;
    for (int i = from; i < to; i++) {
      h ^= b[i] & 0xFF;
      h *= FNV_PRIME;
    }
    return mix(h);
  }

  /** MurmurHash3's fmix64: every input bit affects every output bit. */
  public static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** An order-dependent combination of two hashes. */
  public static long combine(long a, long b) {
    return mix(a * 31 + b + 0x9E3779B97F4A7C15L);
  }
}
