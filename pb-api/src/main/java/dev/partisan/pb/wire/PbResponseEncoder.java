package dev.partisan.pb.wire;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.io.IOException;
import java.util.List;

/**
 * Writes a {@link PbResponse} as one frame into a buffer of exactly its size: length, code, body
 * serialised in place (no intermediate byte array). Stateless, so one instance serves every
 * connection.
 */
@Sharable
public final class PbResponseEncoder extends MessageToMessageEncoder<PbResponse> {
  public static final PbResponseEncoder INSTANCE = new PbResponseEncoder();

  private PbResponseEncoder() {
    super(PbResponse.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, PbResponse response, List<Object> out)
      throws IOException {
    int length = response.frameLength();
    ByteBuf buf = ctx.alloc().heapBuffer(4 + length);
    try {
      buf.writeInt(length);
      buf.writeByte(response.code().code());
      int bodyBytes = length - 1;
      if (bodyBytes > 0) {
        CodedOutputStream cos =
            CodedOutputStream.newInstance(
                buf.array(), buf.arrayOffset() + buf.writerIndex(), bodyBytes);
        response.body().writeTo(cos);
        cos.checkNoSpaceLeft();
        buf.writerIndex(buf.writerIndex() + bodyBytes);
      }
      out.add(buf);
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }
}
