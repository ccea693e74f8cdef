package dev.partisan.runtime.codec;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes one message type. Implementations must be stateless and thread-safe: encoding
 * runs on sender threads, decoding on Netty event loops.
 */
public interface MessageCodec<T> {
  void encode(T value, ByteBuf out);

  /** Reads exactly one value; throws {@link CodecException} on malformed input. */
  T decode(ByteBuf in);

  /**
   * Reads exactly one value; with {@code slices} (not null) its {@link SharedBytes} may be slices
   * of {@code in} (see {@link FrameSlices}). A custom codec copies unless it overrides this.
   */
  default T decode(ByteBuf in, FrameSlices slices) {
    return decode(in);
  }

  /**
   * An upper estimate of the encoded size, so the frame buffer is allocated once at the right size
   * (no growth copies, and queue bounds that charge buffer capacity stay honest).
   */
  default int estimateSize(T value) {
    return 64;
  }
}
