package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.transport.HandshakeException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
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
 * without the cluster secret never reaches the link table. Either side that refuses the other sends
 * the reason ({@link Reason}) before closing, so both report the same one. The acceptor of a bulk
 * channel's connection moves it to a bulk event loop between PROOF and WELCOME ({@link
 * EventLoopMove}). With TLS on the transport all of this runs inside TLS; a failed TLS handshake or
 * a peer that disagrees on TLS ({@link TlsDetector}) ends the handshake here too.
 *
 * <p>State is confined to the connection's event loop (the new one after a move: the old one no
 * longer runs anything of this handler once the move began).
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
  private MessageFrames.Hello hello; // acceptor: the dialer's hello
  private NodeId peer;
  private ScheduledFuture<?> timeout;
  private boolean done;
  private boolean moving; // acceptor: between PROOF and WELCOME, moving to a bulk event loop

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
            .schedule(
                () -> fail(ctx, Reason.TIMEOUT, "handshake timed out", false),
                ms,
                TimeUnit.MILLISECONDS);
    if (dialer) {
      ownNonce = HandshakeAuth.nonce();
      ctx.writeAndFlush(
          MessageFrames.hello(
              ctx.alloc(),
              new MessageFrames.Hello(
                  TransportSettings.PROTOCOL_VERSION,
                  transport.cluster().name(),
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
      if (moving) {
        // The dialer sends nothing between PROOF and WELCOME: a frame now breaks the protocol.
        unexpected(ctx, frame.isReadable() ? frame.getByte(frame.readerIndex()) : -1);
        return;
      }
      if (!frame.isReadable()) {
        fail(ctx, Reason.MALFORMED, "empty handshake frame", true);
        return;
      }
      byte type = frame.readByte();
      if (dialer) {
        onDialerFrame(ctx, type, frame);
      } else {
        onAcceptorFrame(ctx, type, frame);
      }
    } catch (CodecException e) {
      fail(ctx, Reason.MALFORMED, "malformed handshake: " + e.getMessage(), true);
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  private void onDialerFrame(ChannelHandlerContext ctx, byte type, ByteBuf in) {
    switch (type) {
      case MessageFrames.CHALLENGE -> {
        MessageFrames.Challenge c = MessageFrames.readChallenge(in);
        if (!expectedPeer.isEmpty() && !expectedPeer.equals(c.node().name())) {
          refuse(
              ctx,
              Reason.WRONG_PEER,
              "expected " + expectedPeer + " but reached " + c.node().name(),
              null);
          return;
        }
        if (c.node().name().equals(transport.self().name())) {
          fail(ctx, Reason.DIALED_SELF, "dialed ourselves", false);
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
          refuse(
              ctx,
              Reason.AUTHENTICATION_FAILED,
              "peer " + c.node() + " failed authentication (wrong cluster secret?)",
              c.node());
          return;
        }
        if (!certificateNames(ctx, c.node())) {
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
        ctx.writeAndFlush(MessageFrames.proof(ctx.alloc(), proof));
      }
      case MessageFrames.WELCOME -> {
        if (peer == null) {
          fail(ctx, Reason.MALFORMED, "WELCOME before CHALLENGE", true);
          return;
        }
        complete(ctx);
      }
      case MessageFrames.REJECT -> refused(ctx, MessageFrames.readReject(in));
      default -> unexpected(ctx, type);
    }
  }

  private void onAcceptorFrame(ChannelHandlerContext ctx, byte type, ByteBuf in) {
    switch (type) {
      case MessageFrames.HELLO -> {
        if (hello != null) {
          fail(ctx, Reason.MALFORMED, "second HELLO", true);
          return;
        }
        MessageFrames.Hello h = MessageFrames.readHello(in);
        if (!validate(ctx, h)) {
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
            MessageFrames.challenge(
                ctx.alloc(), new MessageFrames.Challenge(transport.self(), ownNonce, proof)));
      }
      case MessageFrames.PROOF -> {
        if (hello == null) {
          fail(ctx, Reason.MALFORMED, "PROOF before HELLO", true);
          return;
        }
        byte[] proof = MessageFrames.readProof(in);
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
          refuse(ctx, Reason.AUTHENTICATION_FAILED, "authentication failed", hello.node());
          return;
        }
        if (!certificateNames(ctx, hello.node())) {
          return;
        }
        peer = hello.node();
        EventLoopGroup bulk = transport.bulkGroupFor(hello.channel());
        if (bulk != null && ctx.channel().eventLoop().parent() != bulk) {
          moveThenAdmit(ctx, bulk);
        } else {
          admit(ctx);
        }
      }
      case MessageFrames.REJECT -> refused(ctx, MessageFrames.readReject(in));
      default -> unexpected(ctx, type);
    }
  }

  /** Refuses a peer whose TLS certificate does not name it, where names are bound to them. */
  private boolean certificateNames(ChannelHandlerContext ctx, NodeId claimed) {
    String mismatch =
        PeerIdentity.mismatch(transport.settings().tls(), ctx.pipeline(), claimed.name());
    if (mismatch != null) {
      refuse(ctx, Reason.CERTIFICATE_MISMATCH, mismatch, claimed);
    }
    return mismatch == null;
  }

  /** Acceptor: the dialer proved itself; admit the connection to its link and welcome it. */
  private void admit(ChannelHandlerContext ctx) {
    if (!transport.admitInbound(ctx.channel(), peer, hello.channel(), hello.lane())) {
      refuse(ctx, Reason.DUPLICATE_CONNECTION, "duplicate connection", null);
      return;
    }
    ctx.writeAndFlush(MessageFrames.welcome(ctx.alloc()));
    finish(ctx, hello.channel(), hello.lane());
  }

  /**
   * Acceptor of a bulk channel's connection: moves it to a bulk event loop before admitting it, so
   * that it never carries a message on the loop that accepted it (a latency one). The link learns
   * of the connection only on its new loop, so its drains run there from the first.
   */
  private void moveThenAdmit(ChannelHandlerContext ctx, EventLoopGroup bulk) {
    moving = true;
    timeout.cancel(false); // it would fire on the old loop; the move completes or fails promptly
    EventLoopMove.move(
        ctx.channel(),
        bulk,
        () -> {
          moving = false;
          if (!done && ctx.channel().isActive()) {
            admit(ctx);
          } else if (!done) {
            conclude(Reason.CONNECTION_CLOSED, "connection closed while moving to a bulk loop");
          }
        },
        err -> {
          if (conclude(Reason.IO_ERROR, "cannot move to a bulk event loop: " + err)) {
            log.warn("cannot move connection with {} to a bulk event loop", peer, err);
          }
          ctx.channel().unsafe().closeForcibly();
        });
  }

  /** Checks a dialer's HELLO; refuses it and returns false when it does not fit this node. */
  private boolean validate(ChannelHandlerContext ctx, MessageFrames.Hello h) {
    HelloCheck.Refusal refusal = HelloCheck.check(h, transport.self(), transport.cluster());
    if (refusal != null) {
      refuse(ctx, refusal.reason(), refusal.detail(), h.node());
      return false;
    }
    return true;
  }

  private void unexpected(ChannelHandlerContext ctx, byte type) {
    fail(ctx, Reason.UNEXPECTED_FRAME, "unexpected frame type " + type + " during handshake", true);
  }

  /** The peer refused us with a REJECT frame. */
  private void refused(ChannelHandlerContext ctx, Reason reason) {
    // Only this one is worth a warning here: the refusing peer logs the others' details.
    fail(ctx, reason, "rejected by peer: " + reason.text(), reason == Reason.TLS_REQUIRED);
  }

  /** TLS events: a TLS handshake that failed, or a peer that disagrees with us on TLS. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == TlsDetector.Mismatch.PLAINTEXT_PEER) {
      // Sent in plaintext (no TLS is up), so the plaintext dialer learns why.
      refuse(ctx, Reason.TLS_REQUIRED, "plaintext peer refused: this node requires TLS", null);
    } else if (evt == TlsDetector.Mismatch.TLS_PEER) {
      fail(ctx, Reason.TLS_FAILED, "the peer speaks TLS and this node has tls.cluster off", true);
    } else if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
      fail(ctx, Reason.TLS_FAILED, TlsFailures.describe(tls.cause(), dialer), true);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  private void complete(ChannelHandlerContext ctx) {
    if (!transport.admitOutbound(ctx.channel(), peer, channel, lane)) {
      fail(ctx, Reason.LOST_TIE_BREAK, "connection lost the tie-break", false);
      return;
    }
    finish(ctx, channel, lane);
    established.complete(peer);
  }

  private void finish(ChannelHandlerContext ctx, String ch, int ln) {
    done = true;
    timeout.cancel(false);
    ConnectionHandler.takeOver(ctx.pipeline(), this, transport, peer, ch, ln);
  }

  /**
   * Refuses the peer: tells it why in a REJECT frame, then closes. The handshake fails here with
   * the same reason the peer will report.
   */
  private void refuse(ChannelHandlerContext ctx, Reason reason, String detail, NodeId who) {
    if (!conclude(reason, detail)) {
      return;
    }
    if (who != null) {
      log.warn("refused connection with {} ({}): {}", who, ctx.channel().remoteAddress(), detail);
    } else if (reason.isRefusal()) {
      log.warn("refused connection from {}: {}", ctx.channel().remoteAddress(), detail);
    } else {
      log.debug("refused connection with {}: {}", ctx.channel().remoteAddress(), detail);
    }
    ctx.writeAndFlush(MessageFrames.reject(ctx.alloc(), reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void fail(ChannelHandlerContext ctx, Reason reason, String detail, boolean warn) {
    if (!conclude(reason, detail)) {
      return;
    }
    if (warn) {
      log.warn("handshake with {} failed: {}", ctx.channel().remoteAddress(), detail);
    } else {
      log.debug("handshake with {} failed: {}", ctx.channel().remoteAddress(), detail);
    }
    ctx.close();
  }

  /** Ends the handshake as failed, counted per reason; false if it had already ended. */
  private boolean conclude(Reason reason, String detail) {
    if (done && established.isDone()) {
      return false;
    }
    done = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    transport.handshakeFailed(reason);
    established.completeExceptionally(new HandshakeException(reason, detail));
    return true;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      conclude(Reason.CONNECTION_CLOSED, "connection closed");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    boolean tls = TlsFailures.isTls(cause);
    String detail = tls ? TlsFailures.describe(cause, dialer) : String.valueOf(cause.getMessage());
    fail(ctx, tls ? Reason.TLS_FAILED : Reason.IO_ERROR, detail, true);
  }
}
