package dev.partisan.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How the frame decoder gathers a frame that arrives in many reads.
 *
 * <p>Small frames are merged into one buffer, as Netty does by default: cheap for them, and a
 * contiguous buffer decodes fastest. Merging a large frame is not cheap: its buffer grows by
 * doubling, each time copied, so an 8 MiB frame read 64 KiB at a time is copied about three times
 * over before it is decoded. So while the frame at the head of the buffer is large (at least {@link
 * MessageFrames#SLICE_FROM_BYTES}), reads are chained as they come into a composite buffer, without
 * a copy: the frame handed on is a view of the socket's own read buffers, and the message's {@code
 * SharedBytes} are slices of those. What follows a large frame in its last read goes back into one
 * buffer (a copy of less than one read).
 *
 * <p>Stateless: one instance serves every connection's decoder, on its event loop.
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {
  static final FrameCumulator INSTANCE = new FrameCumulator();

  private FrameCumulator() {}

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    if (headFrameIsLarge(cumulation)) {
      return ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
    }
    if (cumulation instanceof CompositeByteBuf && cumulation.isReadable()) {
      ByteBuf merged = alloc.buffer(cumulation.readableBytes() + in.readableBytes());
      try {
        merged.writeBytes(cumulation).writeBytes(in);
      } catch (RuntimeException e) {
        merged.release();
        throw e;
      } finally {
        cumulation.release();
        in.release();
      }
      return merged;
    }
    return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
  }

  /** Whether the buffer starts with the length prefix of a large frame. */
  private static boolean headFrameIsLarge(ByteBuf cumulation) {
    return cumulation.readableBytes() >= MessageFrames.LENGTH_BYTES
        && cumulation.getInt(cumulation.readerIndex()) >= MessageFrames.SLICE_FROM_BYTES;
  }
}
