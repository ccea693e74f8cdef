package dev.partisan.http.security;

import dev.partisan.http.api.ObjectPath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Names as a refusal prints them: bytes and control characters escaped, long ones cut short. */
final class Names {
  private static final int MAX = 128;

  private Names() {}

  /** {@code any}, {@code TYPE} or {@code TYPE/BUCKET}. */
  static String scope(byte[] type, byte[] bucket) {
    if (type == null) {
      return "any";
    }
    return bucket == null ? printable(type) : printable(type) + "/" + printable(bucket);
  }

  /** UTF-8 text as it is; other bytes, and names with control characters, percent-encoded. */
  static String printable(byte[] name) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(name)).toString();
      if (text.chars().noneMatch(Character::isISOControl) && text.indexOf('/') < 0) {
        return cut(text);
      }
    } catch (CharacterCodingException e) {
      // not text: encoded below
    }
    return cut(ObjectPath.percentEncode(name));
  }

  /** A name a client sent, as {@link #printable(byte[])} prints its UTF-8 bytes. */
  static String printable(String text) {
    return printable(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String cut(String s) {
    return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
  }
}
