package dev.partisan.kv.datatype;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Arbitrary bytes as Riak's data types hold them: a set or hll element, a register value, a map
 * field name. Riak clients may send any bytes there (the PB API carries them as bytes); text is
 * just the UTF-8 case. Ordered by unsigned lexicographic byte order, so a set's elements and a
 * map's fields come out in the same order on every replica and for every client.
 *
 * <p>Immutable: the array is copied in and never handed out (see {@link #bytes()}).
 */
public final class DtBytes implements Comparable<DtBytes> {
  // Never written after construction, never exposed.
  private final byte[] bytes;

  private DtBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static DtBytes of(byte[] bytes) {
    return new DtBytes(bytes.clone());
  }

  /** The UTF-8 encoding of {@code text}. */
  public static DtBytes ofUtf8(String text) {
    return new DtBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** True when the bytes are valid UTF-8 (so {@link #utf8()} gives them back exactly). */
  public boolean isUtf8() {
    return strictUtf8() != null;
  }

  /**
   * The bytes as text, for the HTTP API's JSON, which carries only text; a {@link
   * DatatypeException} saying so when they are not valid UTF-8 (never a string with replacement
   * characters, which would be a different value).
   */
  public String utf8() {
    String s = strictUtf8();
    if (s == null) {
      throw new DatatypeException(
          "the data-type value 0x" + hex() + " is not valid UTF-8, so it cannot be shown as text");
    }
    return s;
  }

  /** The bytes in lowercase hex, for messages about values that are not text. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  private String strictUtf8() {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  @Override
  public int compareTo(DtBytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DtBytes b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text when the bytes are UTF-8, else {@code 0x} and their hex: for messages and logs. */
  @Override
  public String toString() {
    String s = strictUtf8();
    return s != null ? s : "0x" + hex();
  }
}
