package dev.partisan.kv.object;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every read is bounds-checked, so hostile input fails with a
 * {@link MalformedDataException} naming the field and offset instead of allocating or crashing.
 */
public final class ByteReader {
  private final byte[] buf;
  private int pos;

  public ByteReader(byte[] buf) {
    this.buf = buf;
  }

  public int u8(String field) {
    if (pos >= buf.length) {
      throw truncated(field);
    }
    return buf[pos++] & 0xFF;
  }

  public long varLong(String field) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8(field);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (shift == 63 && b > 1) {
          break;
        }
        return v;
      }
    }
    throw new MalformedDataException("varint too long in " + field + " at offset " + pos);
  }

  public int length(String field) {
    long n = varLong(field);
    if (n < 0 || n > buf.length - pos) {
      throw new MalformedDataException(
          field + " length " + n + " exceeds the " + (buf.length - pos) + " bytes left");
    }
    return (int) n;
  }

  /** A count of items that each take at least one byte. */
  public int count(String field) {
    return length(field);
  }

  public byte[] bytes(String field) {
    int n = length(field);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  public String string(String field) {
    int n = length(field);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buf, pos, n))
              .toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new MalformedDataException("invalid UTF-8 in " + field + " at offset " + pos);
    }
  }

  /** Skips a length-prefixed field (a string or bytes) without copying it. */
  public void skip(String field) {
    int n = length(field); // read the length first: it moves pos
    pos += n;
  }

  public int position() {
    return pos;
  }

  public void expectEnd() {
    if (pos != buf.length) {
      throw new MalformedDataException((buf.length - pos) + " trailing bytes at offset " + pos);
    }
  }

  private MalformedDataException truncated(String field) {
    return new MalformedDataException("truncated input: " + field + " at offset " + pos);
  }
}
