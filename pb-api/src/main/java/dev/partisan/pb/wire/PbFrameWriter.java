package dev.partisan.pb.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * Writes one frame (length, code, body) into a buffer of exactly its size, serialising the body in
 * place: no intermediate byte array. Shared by the server's response encoder and the client's
 * request writer, as a frame is the same in both directions.
 */
public final class PbFrameWriter {
  private PbFrameWriter() {}

  /**
   * A new buffer holding the frame; {@code body} null for a message that is only its code. The
   * buffer comes from {@code alloc}'s I/O buffers (direct where the transport prefers them, so the
   * socket write needs no copy).
   */
  public static ByteBuf frame(ByteBufAllocator alloc, int code, MessageLite body)
      throws IOException {
    int bodyBytes = body == null ? 0 : body.getSerializedSize();
    ByteBuf buf = alloc.ioBuffer(4 + 1 + bodyBytes);
    try {
      buf.writeInt(1 + bodyBytes);
      buf.writeByte(code);
      if (bodyBytes > 0) {
        CodedOutputStream cos =
            buf.hasArray()
                ? CodedOutputStream.newInstance(
                    buf.array(), buf.arrayOffset() + buf.writerIndex(), bodyBytes)
                : CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), bodyBytes));
        body.writeTo(cos);
        cos.flush();
        cos.checkNoSpaceLeft();
        buf.writerIndex(buf.writerIndex() + bodyBytes);
      }
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }
}
