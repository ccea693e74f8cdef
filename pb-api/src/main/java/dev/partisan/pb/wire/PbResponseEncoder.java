package dev.partisan.pb.wire;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.io.IOException;
import java.util.List;

/**
 * Writes a {@link PbResponse} as one frame ({@link PbFrameWriter}). Stateless, so one instance
 * serves every connection.
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
    out.add(PbFrameWriter.frame(ctx.alloc(), response.code().code(), response.body()));
  }
}
