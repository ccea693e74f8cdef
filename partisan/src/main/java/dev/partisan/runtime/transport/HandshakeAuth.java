package dev.partisan.runtime.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response on the cluster secret. Each side proves it knows the secret by MACing the
 * other side's fresh nonce, bound to the role, both node names, channel and lane, so a proof cannot
 * be replayed on another connection or reflected back at its author.
 */
final class HandshakeAuth {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  HandshakeAuth(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("cluster secret must not be empty");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  static byte[] nonce() {
    byte[] n = new byte[MessageFrames.NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  byte[] proof(
      String role,
      byte[] challengeNonce,
      byte[] ownNonce,
      String prover,
      String verifier,
      String channel,
      int lane) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(role.getBytes(StandardCharsets.UTF_8));
      mac.update(challengeNonce);
      mac.update(ownNonce);
      mac.update((prover + "\0" + verifier + "\0" + channel + "\0" + lane).getBytes(UTF8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
