package dev.partisan.pb.dispatch;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Bucket and type names, which are any bytes, shown safely in an error message. Stateless. */
final class PrintableBytes {
  private static final int MAX_BYTES = 256;

  private PrintableBytes() {}

  /**
   * The bytes as text when they are UTF-8 without control characters, otherwise 0x-prefixed hex;
   * names over 256 bytes are cut short with "...".
   */
  static String of(byte[] bytes) {
    boolean cut = bytes.length > MAX_BYTES;
    ByteBuffer shown = ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, MAX_BYTES));
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(shown.duplicate())
              .toString();
      if (text.chars().anyMatch(Character::isISOControl)) {
        text = hex(shown);
      }
    } catch (CharacterCodingException e) {
      text = hex(shown); // also a multi-byte character split by the cut: hex is always safe
    }
    return cut ? text + "..." : text;
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
