package dev.partisan.pb.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a connection's bytes into Riak PB frames: a 4-byte big-endian length that counts the code
 * byte and the body, the 1-byte message code, then the body.
 *
 * <p>A length over the limit cannot be skipped safely (the body may still be arriving, and a wrong
 * length means the next frame's start is unknown), so it yields a fatal {@link PbFrame.Invalid} and
 * every later byte is discarded until the connection closes. A zero length (no code byte) is a
 * well-delimited frame: it yields a non-fatal error and decoding goes on. Input that ends inside a
 * frame (the client half-closed) yields a fatal error, so the client learns why nothing came back.
 *
 * <p>Owned by the connection's event loop, like all its state.
 */
public final class PbFrameDecoder extends ByteToMessageDecoder {
  /** Length prefix plus code byte. */
  public static final int HEADER_BYTES = 5;

  private final long maxFrameBytes;
  private boolean discarding;

  public PbFrameDecoder(long maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      discarding = true;
      in.skipBytes(in.readableBytes());
      out.add(
          new PbFrame.Invalid(
              "frame of "
                  + length
                  + " bytes is over this server's limit of "
                  + maxFrameBytes
                  + " bytes (pb.max_frame_bytes); closing the connection, as the stream cannot"
                  + " be resynchronised",
              true));
      return;
    }
    if (length == 0) {
      in.skipBytes(4);
      out.add(new PbFrame.Invalid("empty frame: a frame needs at least a message code", false));
      return;
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    in.skipBytes(4);
    int code = in.readUnsignedByte();
    out.add(new PbFrame.Request(code, in.readRetainedSlice((int) length - 1)));
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!discarding && in.isReadable()) {
      decode(ctx, in, out);
    }
    if (!discarding && in.isReadable()) {
      int have = in.readableBytes();
      in.skipBytes(have);
      out.add(
          new PbFrame.Invalid(
              "truncated frame: the input ended after " + have + " bytes of an unfinished frame",
              true));
    }
  }
}
