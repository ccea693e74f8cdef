package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an authenticated connection: decodes MESSAGE frames and hands them to the node,
 * acknowledges sequenced ones once per read batch, and applies ACKs to the link. A frame that
 * cannot be decoded closes this connection only; the node and its other connections carry on.
 *
 * <p>State is confined to the connection's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

  private final Transport transport;
  private final NodeId peer;
  private final String channel;
  private final int lane;
  private final Link link;
  private final LaneMetrics metrics;
  private final LinkTable.ReceiveState receiveState;
  private boolean ackDue;

  ConnectionHandler(Transport transport, NodeId peer, String channel, int lane) {
    this.transport = transport;
    this.peer = peer;
    this.channel = channel;
    this.lane = lane;
    this.link = transport.link(new LinkKey(peer.name(), channel, lane));
    this.metrics = link.metrics;
    this.receiveState = transport.receiveState(peer, channel, lane);
  }

  /**
   * Replaces the handshake handler once the connection is authenticated, behind the link emulator
   * when the node has one: first in the pipeline, next to the socket (below TLS), so every later
   * frame crosses the emulated path as the bytes a network would carry.
   */
  static void takeOver(
      ChannelPipeline pipeline,
      ChannelHandler handshake,
      Transport transport,
      NodeId peer,
      String channel,
      int lane) {
    LinkEmulator emulator = transport.settings().linkEmulator();
    if (emulator != null) {
      pipeline.addFirst("link-emulator", emulator.handler(transport.self().name(), peer.name()));
    }
    pipeline.replace(
        handshake, "connection", new ConnectionHandler(transport, peer, channel, lane));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    transport.sink().peerConnected(peer, channel, lane);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      int size = MessageFrames.wireSize(frame);
      if (!frame.isReadable()) {
        throw new CodecException("empty frame");
      }
      transport.sink().peerActive(peer);
      byte type = frame.readByte();
      switch (type) {
        case MessageFrames.MESSAGE -> onMessage(frame, size);
        case MessageFrames.ACK -> link.acknowledged(MessageFrames.readAck(frame));
        default -> throw new CodecException("unexpected frame type " + type);
      }
    } catch (TypeRegistry.UnknownTypeException e) {
      // A newer peer may send types we do not know: drop the message, keep the connection.
      log.warn("dropping message from {} on {}: {}", peer, channel, e.getMessage());
    } catch (CodecException e) {
      log.warn(
          "closing connection from {} ({}/{}): malformed frame: {}",
          peer,
          channel,
          lane,
          e.getMessage());
      ctx.close();
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  private void onMessage(ByteBuf frame, int size) {
    MessageFrames.Decoded d =
        MessageFrames.decode(frame, transport.types(), transport.settings().maxFrameBytes() * 4);
    metrics.messagesReceived.increment();
    metrics.bytesReceived.add(size);
    if ((d.flags() & MessageFrames.FLAG_ACK) != 0) {
      ackDue = true;
      if (d.seq() <= receiveState.highestDelivered) {
        ReferenceCountUtil.release(d.lease());
        return; // a retransmission of something already delivered
      }
      receiveState.highestDelivered = d.seq();
    }
    // The sink now owns the message's lease (its slices of this frame), if it has one.
    transport
        .sink()
        .deliver(
            new InboundMessage(
                peer,
                d.channel(),
                d.sender(),
                d.senderNode().isEmpty() ? peer.name() : d.senderNode(),
                d.senderNode().isEmpty() ? peer.incarnation() : d.senderIncarnation(),
                d.receiver(),
                d.receiverIncarnation(),
                d.message(),
                d.lease()));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (ackDue) {
      ackDue = false;
      ctx.writeAndFlush(MessageFrames.ack(ctx.alloc(), receiveState.highestDelivered));
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      link.scheduleDrain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    link.detach(ctx.channel());
    transport.sink().peerDisconnected(peer, channel, lane);
    transport.redialIfNeeded(link);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("closing connection to {} ({}/{}): {}", peer, channel, lane, cause.toString());
    ctx.close();
  }
}
