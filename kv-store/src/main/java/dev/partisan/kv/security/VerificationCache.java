package dev.partisan.kv.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The password checks that succeeded lately, so a client sending HTTP Basic credentials on every
 * request pays PBKDF2's ~100 ms once, not per request.
 *
 * <p>An entry is the user, an HMAC of the presented password under a key made at random for this
 * process (so the cache holds nothing a stolen heap dump could brute-force faster than the stored
 * hashes), and the identity of the stored hash it was checked against (its salt, fresh for every
 * new password). It needs no explicit invalidation: a changed password has a new salt and so
 * misses, and a deleted user fails before the cache is consulted. Failures are never cached. At
 * most {@link #CAPACITY} entries, least recently used dropped first.
 *
 * <p>Thread-safety: synchronized; request threads share it.
 */
final class VerificationCache {
  static final int CAPACITY = 1024;

  private final SecretKeySpec key;
  private final Map<String, Boolean> verified =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CAPACITY;
        }
      };

  VerificationCache() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  synchronized boolean contains(String user, char[] password, PasswordHash stored) {
    return verified.containsKey(entry(user, password, stored));
  }

  synchronized void add(String user, char[] password, PasswordHash stored) {
    verified.put(entry(user, password, stored), Boolean.TRUE);
  }

  synchronized int size() {
    return verified.size();
  }

  private String entry(String user, char[] password, PasswordHash stored) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[utf8.remaining()];
    utf8.get(bytes);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      Base64.Encoder b64 = Base64.getEncoder();
      return user
          + '\0'
          + b64.encodeToString(mac.doFinal(bytes))
          + '\0'
          + b64.encodeToString(stored.salt())
          + '\0'
          + stored.iterations();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (utf8.hasArray()) {
        Arrays.fill(utf8.array(), (byte) 0);
      }
    }
  }
}
