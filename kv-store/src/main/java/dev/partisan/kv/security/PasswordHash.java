package dev.partisan.kv.security;

import java.util.Arrays;

/**
 * A stored password: PBKDF2-HMAC-SHA256 of it with {@code salt} over {@code iterations} rounds. The
 * iteration count is kept with the hash so the default can rise later without invalidating stored
 * passwords. Travels only inside the gossiped and persisted cluster metadata; {@link #toString}
 * never shows it.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p
        && p.iterations == iterations
        && Arrays.equals(p.salt, salt)
        && Arrays.equals(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt) * 31 + iterations;
  }

  @Override
  public String toString() {
    return "PasswordHash[PBKDF2WithHmacSHA256, " + iterations + " iterations, hidden]";
  }
}
