package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.CodecException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a new connection before any message may flow. The dialer sends HELLO (its identity,
 * cluster, channel, lane, a nonce); the acceptor answers CHALLENGE (its identity, its nonce, and a
 * proof over the dialer's nonce); the dialer checks that proof and answers PROOF; the acceptor
 * checks it and admits the connection with WELCOME, or refuses it with REJECT and a reason. A peer
 * without the cluster secret never reaches the link table.
 *
 * <p>State is confined to the connection's event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

  private final Transport transport;
  private final boolean dialer;
  // Dialer: what we asked for, and who we expect (empty when probing an address).
  private final String channel;
  private final int lane;
  private final String expectedPeer;
  private final CompletableFuture<NodeId> established;

  private byte[] ownNonce;
  private Handshake.Hello hello; // acceptor: the dialer's hello
  private NodeId peer;
  private ScheduledFuture<?> timeout;
  private boolean done;

  static HandshakeHandler dialer(
      Transport t, String channel, int lane, String expectedPeer, CompletableFuture<NodeId> f) {
    return new HandshakeHandler(t, true, channel, lane, expectedPeer, f);
  }

  static HandshakeHandler acceptor(Transport t) {
    return new HandshakeHandler(t, false, null, -1, "", new CompletableFuture<>());
  }

  private HandshakeHandler(
      Transport t,
      boolean dialer,
      String channel,
      int lane,
      String expectedPeer,
      CompletableFuture<NodeId> established) {
    this.transport = t;
    this.dialer = dialer;
    this.channel = channel;
    this.lane = lane;
    this.expectedPeer = expectedPeer;
    this.established = established;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long ms = transport.settings().handshakeTimeout().toMillis();
    timeout =
        ctx.executor()
            .schedule(() -> fail(ctx, "handshake timed out", false), ms, TimeUnit.MILLISECONDS);
    if (dialer) {
      ownNonce = HandshakeAuth.nonce();
      ctx.writeAndFlush(
          Handshake.hello(
              ctx.alloc(),
              new Handshake.Hello(
                  TransportSettings.PROTOCOL_VERSION,
                  transport.settings().clusterName(),
                  transport.self(),
                  channel,
                  lane,
                  ownNonce,
                  expectedPeer)));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (done) {
        return;
      }
      if (!frame.isReadable()) {
        fail(ctx, "empty handshake frame", true);
        return;
      }
      byte type = frame.readByte();
      if (dialer) {
        onDialerFrame(ctx, type, frame);
      } else {
        onAcceptorFrame(ctx, type, frame);
      }
    } catch (CodecException e) {
      fail(ctx, "malformed handshake: " + e.getMessage(), true);
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  private void onDialerFrame(ChannelHandlerContext ctx, byte type, ByteBuf in) {
    switch (type) {
      case FrameType.CHALLENGE -> {
        Handshake.Challenge c = Handshake.readChallenge(in);
        if (!expectedPeer.isEmpty() && !expectedPeer.equals(c.node().name())) {
          fail(ctx, "expected " + expectedPeer + " but reached " + c.node().name(), false);
          return;
        }
        if (c.node().name().equals(transport.self().name())) {
          fail(ctx, "dialed ourselves", false);
          return;
        }
        byte[] expected =
            transport
                .auth()
                .proof(
                    "acceptor",
                    ownNonce,
                    c.nonce(),
                    c.node().name(),
                    transport.self().name(),
                    channel,
                    lane);
        if (!HandshakeAuth.matches(expected, c.proof())) {
          fail(ctx, "peer " + c.node() + " failed authentication (wrong cluster secret?)", true);
          return;
        }
        peer = c.node();
        byte[] proof =
            transport
                .auth()
                .proof(
                    "dialer",
                    c.nonce(),
                    ownNonce,
                    transport.self().name(),
                    peer.name(),
                    channel,
                    lane);
        ctx.writeAndFlush(Handshake.proof(ctx.alloc(), proof));
      }
      case FrameType.WELCOME -> {
        if (peer == null) {
          fail(ctx, "WELCOME before CHALLENGE", true);
          return;
        }
        complete(ctx);
      }
      case FrameType.REJECT -> {
        String reason = dev.partisan.runtime.codec.Wire.readString(in);
        fail(ctx, "rejected by peer: " + reason, false);
      }
      default -> fail(ctx, "unexpected frame type " + type + " during handshake", true);
    }
  }

  private void onAcceptorFrame(ChannelHandlerContext ctx, byte type, ByteBuf in) {
    switch (type) {
      case FrameType.HELLO -> {
        if (hello != null) {
          fail(ctx, "second HELLO", true);
          return;
        }
        Handshake.Hello h = Handshake.readHello(in);
        String problem = transport.validateHello(h);
        if (problem != null) {
          reject(ctx, problem, h.node());
          return;
        }
        hello = h;
        ownNonce = HandshakeAuth.nonce();
        byte[] proof =
            transport
                .auth()
                .proof(
                    "acceptor",
                    h.nonce(),
                    ownNonce,
                    transport.self().name(),
                    h.node().name(),
                    h.channel(),
                    h.lane());
        ctx.writeAndFlush(
            Handshake.challenge(
                ctx.alloc(), new Handshake.Challenge(transport.self(), ownNonce, proof)));
      }
      case FrameType.PROOF -> {
        if (hello == null) {
          fail(ctx, "PROOF before HELLO", true);
          return;
        }
        byte[] proof = dev.partisan.runtime.codec.Wire.readBytes(in);
        byte[] expected =
            transport
                .auth()
                .proof(
                    "dialer",
                    ownNonce,
                    hello.nonce(),
                    hello.node().name(),
                    transport.self().name(),
                    hello.channel(),
                    hello.lane());
        if (!HandshakeAuth.matches(expected, proof)) {
          reject(ctx, "authentication failed", hello.node());
          return;
        }
        peer = hello.node();
        if (!transport.admitInbound(ctx.channel(), peer, hello.channel(), hello.lane())) {
          reject(ctx, "duplicate connection", null);
          return;
        }
        ctx.writeAndFlush(Handshake.welcome(ctx.alloc()));
        finish(ctx, hello.channel(), hello.lane());
      }
      default -> fail(ctx, "unexpected frame type " + type + " during handshake", true);
    }
  }

  private void complete(ChannelHandlerContext ctx) {
    if (!transport.admitOutbound(ctx.channel(), peer, channel, lane)) {
      fail(ctx, "connection lost the tie-break", false);
      return;
    }
    finish(ctx, channel, lane);
    established.complete(peer);
  }

  private void finish(ChannelHandlerContext ctx, String ch, int ln) {
    done = true;
    timeout.cancel(false);
    LinkEmulator emulator = transport.settings().linkEmulator();
    if (emulator != null) {
      // First in the pipeline, next to the socket: every later frame crosses the emulated path.
      ctx.pipeline()
          .addFirst("link-emulator", emulator.handler(transport.self().name(), peer.name()));
    }
    ctx.pipeline().replace(this, "connection", new ConnectionHandler(transport, peer, ch, ln));
  }

  private void reject(ChannelHandlerContext ctx, String reason, NodeId who) {
    if (who != null) {
      log.warn("rejected connection from {} ({}): {}", who, ctx.channel().remoteAddress(), reason);
    } else {
      log.debug("rejected connection from {}: {}", ctx.channel().remoteAddress(), reason);
    }
    done = true;
    timeout.cancel(false);
    ctx.writeAndFlush(Handshake.reject(ctx.alloc(), reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void fail(ChannelHandlerContext ctx, String reason, boolean warn) {
    if (done && established.isDone()) {
      return;
    }
    done = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (warn) {
      log.warn("handshake with {} failed: {}", ctx.channel().remoteAddress(), reason);
    } else {
      log.debug("handshake with {} failed: {}", ctx.channel().remoteAddress(), reason);
    }
    established.completeExceptionally(new HandshakeException(reason));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      if (timeout != null) {
        timeout.cancel(false);
      }
      established.completeExceptionally(new HandshakeException("connection closed"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, String.valueOf(cause.getMessage()), true);
  }

  /** Why a handshake did not complete. */
  static final class HandshakeException extends RuntimeException {
    HandshakeException(String message) {
      super(message, null, false, false);
    }
  }
}
