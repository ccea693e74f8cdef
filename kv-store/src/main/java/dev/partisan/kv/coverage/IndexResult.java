package dev.partisan.kv.coverage;

import java.util.Arrays;

/**
 * One result of an index query: a key and the value it matched with ({@code _int}: decimal text).
 */
public record IndexResult(byte[] term, byte[] key) {
  @Override
  public boolean equals(Object o) {
    return o instanceof IndexResult r && Arrays.equals(term, r.term) && Arrays.equals(key, r.key);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(term) + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return new String(term, java.nio.charset.StandardCharsets.UTF_8)
        + " -> "
        + new String(key, java.nio.charset.StandardCharsets.UTF_8);
  }
}
