package dev.partisan.pb.wire;

import io.netty.buffer.ByteBuf;

/**
 * What the frame decoder hands to a connection: a whole request, or a framing problem the
 * connection must answer.
 */
public sealed interface PbFrame {

  /**
   * A request frame: its code byte and its protobuf body, a retained slice of the connection's
   * input that whoever takes the frame must {@linkplain ByteBuf#release() release}.
   */
  record Request(int code, ByteBuf body) implements PbFrame {}

  /**
   * A frame that cannot be served. {@code fatal}: the stream cannot be resynchronised (an oversized
   * length means the next frame's start is unknown), so the connection closes after the error.
   */
  record Invalid(String message, boolean fatal) implements PbFrame {}
}
