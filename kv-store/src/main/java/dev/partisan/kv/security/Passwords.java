package dev.partisan.kv.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Hashes and verifies passwords with the JDK's PBKDF2-HMAC-SHA256. Stateless, thread-safe. */
public final class Passwords {
  /**
   * Rounds of new hashes: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 (600,000) costs
   * several hundred ms per check on a small node, and HTTP Basic authentication checks on every
   * request; 210,000 (OWASP's earlier figure for SHA-512, ~100 ms here) keeps a brute force of a
   * stolen hash slow while the {@link VerificationCache} keeps repeated requests cheap. Stored
   * hashes keep their own count, so raising this later only affects new passwords.
   */
  public static final int DEFAULT_ITERATIONS = 210_000;

  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  /** A new hash of {@code password} with a random salt; the caller may clear the array after. */
  public static PasswordHash hash(char[] password) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(DEFAULT_ITERATIONS, salt, derive(password, salt, DEFAULT_ITERATIONS));
  }

  /** True if {@code password} is the one {@code stored} was made from (constant-time compare). */
  public static boolean verify(char[] password, PasswordHash stored) {
    if (password == null || password.length == 0 || stored == null) {
      return false;
    }
    if (stored.iterations() < 1 || stored.salt() == null || stored.hash() == null) {
      return false; // a damaged entry never matches
    }
    byte[] candidate = derive(password, stored.salt(), stored.iterations());
    boolean same = MessageDigest.isEqual(candidate, stored.hash());
    Arrays.fill(candidate, (byte) 0);
    return same;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // Every Java 21 runtime has PBKDF2WithHmacSHA256; the message names no secret.
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
