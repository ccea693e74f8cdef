package dev.partisan.kv;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Keys the node names for a write that gives none (HTTP POST to a bucket, RpbPutReq without a key):
 * 22 random alphanumerics, as Riak's, about 131 bits, so two never collide in practice.
 */
public final class GeneratedKeys {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LENGTH = 22;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GeneratedKeys() {}

  public static byte[] next() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
