package dev.partisan.bench.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.function.LongConsumer;

/**
 * One side of a proxied connection: what it reads goes to the other side ({@code peer}), whose
 * pipeline begins with the emulated link. Backpressure: while the peer is unwritable (its emulated
 * window is full, or its socket is) this side stops reading, and it reads again when the peer turns
 * writable, so the proxy holds at most about one window (plus one read) per direction and
 * connection. A side's end of stream (FIN) is passed on behind its bytes; when either side closes
 * or fails, the other closes after what it was sent has crossed the emulated link (the emulator's
 * close waits for it, at most 10 s).
 *
 * <p>Threading: both channels of a connection run on one event loop; this handler has no state of
 * its own besides the counters it adds to.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final ProxiedConnection connection;
  private final Channel peer;
  private final LongConsumer bytesRead;

  RelayHandler(ProxiedConnection connection, Channel peer, LongConsumer bytesRead) {
    this.connection = connection;
    this.peer = peer;
    this.bytesRead = bytesRead;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf buf) {
      bytesRead.accept(buf.readableBytes());
    }
    peer.write(msg, peer.voidPromise());
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true); // room again: the other side may read
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * This side shut its output (sent a FIN): shut the peer's output once the bytes before it have
   * crossed the emulated link (an empty write behind them), so a client that half-closes still gets
   * its reply; once both directions have ended the connection closes.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              f -> {
                if (peer instanceof DuplexChannel duplex && duplex.isActive()) {
                  duplex.shutdownOutput();
                }
              });
      connection.directionEnded();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    peer.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.error(ctx.channel(), cause);
    ctx.close();
  }
}
