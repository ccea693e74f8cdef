package dev.partisan.http.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The user and password of an HTTP Basic {@code Authorization} header (RFC 7617): {@code Basic
 * base64(user:password)}, UTF-8, the user name up to the first colon. The password is decoded into
 * a char array, never a String, so the caller can clear it ({@link #clear}) once it is checked.
 *
 * @param user the user name (non-empty)
 * @param password the password, empty when the client sent {@code user:} (trust and certificate
 *     sources need none)
 */
record BasicCredentials(String user, char[] password) {
  private static final String SCHEME = "Basic ";

  /**
   * Parses a header value; null when it is not well-formed Basic credentials (another scheme, bad
   * base64, no colon, an empty user name, or text that is not UTF-8). Never throws on input.
   */
  static BasicCredentials parse(String header) {
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    byte[] pair;
    try {
      pair = Base64.getDecoder().decode(header.substring(SCHEME.length()).strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      int colon = indexOf(pair, (byte) ':');
      if (colon <= 0) {
        return null;
      }
      String user = decode(ByteBuffer.wrap(pair, 0, colon)).toString();
      CharBuffer password = decode(ByteBuffer.wrap(pair, colon + 1, pair.length - colon - 1));
      char[] chars = new char[password.remaining()];
      password.get(chars);
      if (password.hasArray()) {
        Arrays.fill(password.array(), '\0');
      }
      return new BasicCredentials(user, chars);
    } catch (CharacterCodingException e) {
      return null;
    } finally {
      Arrays.fill(pair, (byte) 0);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static CharBuffer decode(ByteBuffer bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(bytes);
  }

  /** Overwrites the password. */
  void clear() {
    Arrays.fill(password, '\0');
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + "]";
  }
}
