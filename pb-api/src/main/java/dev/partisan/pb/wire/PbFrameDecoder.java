package dev.partisan.pb.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>An RpbStartTls frame (code 255, in either direction) is where a connection may switch to TLS:
 * the bytes behind it may already be TLS records, so decoding stops after it and the bytes are held
 * until the connection says what they are ({@link #resume} if it stays plaintext, {@link #handOver}
 * if it switched). The connection pauses reading meanwhile, so little is held.
 *
 * <p>A frame that has started arriving must complete within the frame timeout ({@code
 * pb.frame_timeout_ms}), or the connection is closed: a client that trickles or stalls in the
 * middle of a frame would otherwise hold its buffer for ever. Idle time between frames is not
 * limited (Riak's clients keep pooled connections open), nor is time while the connection itself
 * has paused reading (the wait is then the server's).
 *
 * <p>Owned by the connection's event loop, like all its state.
 */
public final class PbFrameDecoder extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(PbFrameDecoder.class);

  /** Length prefix plus code byte. */
  public static final int HEADER_BYTES = 5;

  private final long maxFrameBytes;
  private final long frameTimeoutNanos; // 0: unlimited
  private boolean discarding;
  private boolean holding; // after an RpbStartTls frame, until resume or handOver
  private long framesDecoded;
  private long partialFrame = -1; // framesDecoded when the current partial frame was seen first
  private long partialSince; // System.nanoTime() then
  private ScheduledFuture<?> frameTimer;

  /** A decoder without a frame timeout. */
  public PbFrameDecoder(long maxFrameBytes) {
    this(maxFrameBytes, 0);
  }

  /** A frame that has started must complete within {@code frameTimeoutNanos} (0: no limit). */
  public PbFrameDecoder(long maxFrameBytes, long frameTimeoutNanos) {
    this.maxFrameBytes = maxFrameBytes;
    this.frameTimeoutNanos = frameTimeoutNanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    super.channelRead(ctx, msg);
    watchPartialFrame(ctx);
  }

  /** After each read: notes when a frame left incomplete started, and arms the timer. */
  private void watchPartialFrame(ChannelHandlerContext ctx) {
    if (frameTimeoutNanos == 0 || discarding || holding || actualReadableBytes() == 0) {
      partialFrame = -1;
      return;
    }
    if (partialFrame != framesDecoded) {
      partialFrame = framesDecoded;
      partialSince = System.nanoTime();
    }
    if (frameTimer == null) {
      armFrameTimer(ctx, frameTimeoutNanos);
    }
  }

  private void armFrameTimer(ChannelHandlerContext ctx, long delayNanos) {
    frameTimer =
        ctx.executor().schedule(() -> frameTimerFired(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void frameTimerFired(ChannelHandlerContext ctx) {
    frameTimer = null;
    if (partialFrame < 0 || !ctx.channel().isActive()) {
      return; // no frame is incomplete now: the next partial one arms a new timer
    }
    if (!ctx.channel().config().isAutoRead()) {
      partialSince = System.nanoTime(); // the server paused reading: the wait is not the client's
    }
    long waited = System.nanoTime() - partialSince;
    if (waited < frameTimeoutNanos) {
      armFrameTimer(ctx, frameTimeoutNanos - waited);
      return;
    }
    log.info(
        "{}: closing: a frame started {} ms ago is still incomplete after {} bytes"
            + " (pb.frame_timeout_ms)",
        ctx.channel().remoteAddress(),
        TimeUnit.NANOSECONDS.toMillis(waited),
        actualReadableBytes());
    ctx.close();
  }

  @Override
  public void handlerRemoved0(ChannelHandlerContext ctx) {
    if (frameTimer != null) {
      frameTimer.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (holding || in.readableBytes() < 4) {
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
    framesDecoded++;
    holding = code == MessageCode.RPB_START_TLS.code();
  }

  /**
   * The connection stays as it was after an RpbStartTls frame (it was refused): decodes the bytes
   * held since. Call from an event-loop task of its own, never from inside this decoder's {@code
   * channelRead} (a frame handler runs there).
   */
  public void resume(ChannelHandlerContext ownContext) {
    if (!holding) {
      return;
    }
    holding = false;
    try {
      channelRead(ownContext, Unpooled.EMPTY_BUFFER); // decodes what is held, fires the frames
    } catch (Exception e) {
      ownContext.fireExceptionCaught(e);
    }
  }

  /**
   * The connection switched to TLS after the RpbStartTls frame: returns the bytes held since (the
   * peer's first TLS records, if it sent them before this side switched) for the TLS layer, and
   * decodes whatever that layer passes on from now on. The caller owns the returned buffer.
   */
  public ByteBuf handOver() {
    holding = false;
    ByteBuf held = internalBuffer();
    return held.isReadable() ? held.readBytes(held.readableBytes()) : Unpooled.EMPTY_BUFFER;
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (holding) {
      return; // the held bytes are not frames of this stream (or not yet known to be)
    }
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
