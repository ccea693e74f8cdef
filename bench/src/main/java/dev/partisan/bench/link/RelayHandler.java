package dev.partisan.bench.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.LongConsumer;

/**
 * One side of a proxied connection: what it reads goes to the other side ({@code peer}), whose
 * pipeline begins with the emulated link. Backpressure: while the peer is unwritable (its emulated
 * window is full, or its socket is) this side stops reading, and it reads again when the peer turns
 * writable, so the proxy holds at most about one window (plus one read) per direction and
 * connection. When either side closes, the other closes after what it was sent has crossed the
 * emulated link (the emulator's close waits for it, at most 10 s).
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
