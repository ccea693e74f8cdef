package dev.partisan.runtime.overlay;

/** MurmurHash3's 64-bit finaliser: every input bit affects every output bit, non-linearly. */
final class Mix64 {
  private Mix64() {}

  static long of(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
