package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;

/**
 * Codec for one declared type of a record component (or of an element inside one). Built once per
 * record type by {@link ValueCodecs}; immutable, so shared by every thread.
 */
abstract class ValueCodec {
  abstract void write(Object value, ByteBuf out);

  abstract Object read(ByteBuf in);

  /**
   * Reads one value; with {@code slices} (not null) bulk bytes may be slices of {@code in}. Codecs
   * that contain no bulk bytes need not override it.
   */
  Object read(ByteBuf in, FrameSlices slices) {
    return read(in);
  }

  /** Upper estimate of the encoded size of {@code value}. */
  long estimate(Object value) {
    return 10;
  }

  static byte readByteChecked(ByteBuf in) {
    if (!in.isReadable()) {
      throw new CodecException("truncated value");
    }
    return in.readByte();
  }

  static long readLongChecked(ByteBuf in) {
    if (in.readableBytes() < 8) {
      throw new CodecException("truncated long");
    }
    return in.readLong();
  }
}
