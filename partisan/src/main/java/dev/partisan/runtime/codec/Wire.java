package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Primitive encodings shared by every codec: unsigned LEB128 varints, zig-zag signed varints and
 * length-prefixed UTF-8 strings. Every read checks bounds so a hostile frame cannot make a reader
 * allocate more than the frame holds.
 */
public final class Wire {
  private Wire() {}

  public static void writeVarInt(ByteBuf out, int value) {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  public static int readVarInt(ByteBuf in) {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!in.isReadable()) {
        throw new CodecException("truncated varint");
      }
      byte b = in.readByte();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CodecException("varint longer than 5 bytes");
  }

  public static void writeVarLong(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  public static long readVarLong(ByteBuf in) {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (!in.isReadable()) {
        throw new CodecException("truncated varlong");
      }
      byte b = in.readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CodecException("varlong longer than 10 bytes");
  }

  public static void writeSignedVarLong(ByteBuf out, long value) {
    writeVarLong(out, (value << 1) ^ (value >> 63));
  }

  public static long readSignedVarLong(ByteBuf in) {
    long raw = readVarLong(in);
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Reads a length that must fit in what is left of the buffer (each element >= 1 byte). */
  public static int readLength(ByteBuf in) {
    int length = readVarInt(in);
    if (length < 0 || length > in.readableBytes()) {
      throw new CodecException(
          "length " + length + " exceeds the " + in.readableBytes() + " bytes left in the frame");
    }
    return length;
  }

  /**
   * Length-prefixed UTF-8. ASCII (every name on the hot path: channels, actors, ask addresses) is
   * written straight into {@code out}, with no byte[] per string; anything else goes through the
   * JDK's encoder, whose handling of malformed strings is the wire's.
   */
  public static void writeString(ByteBuf out, String value) {
    if (isAscii(value)) {
      writeVarInt(out, value.length());
      out.writeCharSequence(value, StandardCharsets.US_ASCII);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeVarInt(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static boolean isAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  public static String readString(ByteBuf in) {
    int length = readLength(in);
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }

  public static void writeBytes(ByteBuf out, byte[] value) {
    writeVarInt(out, value.length);
    out.writeBytes(value);
  }

  public static byte[] readBytes(ByteBuf in) {
    int length = readLength(in);
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }
}
