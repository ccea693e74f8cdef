package dev.partisan.runtime.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection's end of a {@link LinkEmulator} path, first in the pipeline (next to the socket):
 * holds each outgoing buffer until the emulated link has carried it, then writes it.
 *
 * <p>Bytes the emulator holds, plus those sent less than one round trip ago, count against the
 * connection's window; at the window the channel turns unwritable (a user-defined writability bit),
 * so the link's drain stops exactly as it does when the socket is full.
 *
 * <p>Threading: {@link #pending} is guarded by the emulator's monitor; {@link #inFlight} is written
 * by the pacer (or the event loop) and drained by the event loop; {@link #held} and the writability
 * bit belong to the event loop.
 */
final class EmulatedLinkHandler extends ChannelOutboundHandlerAdapter {
  private static final int WRITABILITY_BIT = 1;

  private final LinkEmulator emulator;
  final LinkEmulator.EmulatedPath path;
  final ArrayDeque<LinkEmulator.Pending> pending = new ArrayDeque<>();
  private final Queue<InFlight> inFlight = new ConcurrentLinkedQueue<>();
  private ChannelHandlerContext ctx;
  private long held;
  private long unwritten; // bytes accepted and not yet written to the socket
  private ChannelPromise closePromise; // a close waiting for the unwritten bytes
  private boolean throttled;
  volatile boolean closed;

  private record InFlight(long due, ByteBuf buf, ChannelPromise promise) {}

  EmulatedLinkHandler(LinkEmulator emulator, LinkEmulator.EmulatedPath path) {
    this.emulator = emulator;
    this.path = path;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf) || closed) {
      ctx.write(msg, promise);
      return;
    }
    held += buf.readableBytes();
    unwritten += buf.readableBytes();
    if (!throttled && held >= emulator.windowBytes()) {
      setWritable(false);
    }
    emulator.offer(
        this, new LinkEmulator.Pending(buf, promise.isVoid() ? null : promise, System.nanoTime()));
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    // Flushed when the emulated link delivers.
  }

  /** Any thread: the bytes leave the emulated link at {@code due}; write them then. */
  void propagate(long due, ByteBuf buf, ChannelPromise promise) {
    inFlight.add(new InFlight(due, buf, promise));
    long delay = Math.max(0, due - System.nanoTime());
    ctx.executor().schedule(this::deliverDue, delay, TimeUnit.NANOSECONDS);
  }

  /** On the event loop: writes, in order, everything that has arrived by now. */
  private void deliverDue() {
    long now = System.nanoTime();
    boolean wrote = false;
    InFlight f;
    while ((f = inFlight.peek()) != null && (f.due() <= now || closed)) {
      inFlight.poll();
      int bytes = f.buf().readableBytes();
      if (closed) {
        f.buf().release();
        if (f.promise() != null) {
          f.promise().tryFailure(new java.nio.channels.ClosedChannelException());
        }
        continue;
      }
      ctx.write(f.buf(), f.promise() != null ? f.promise() : ctx.voidPromise());
      unwritten -= bytes;
      wrote = true;
      // The window reopens when the peer's acknowledgement would be back: one more one-way delay.
      long ackDelay = emulator.oneWayDelayNanos();
      if (ackDelay == 0) {
        release(bytes);
      } else {
        ctx.executor().schedule(() -> release(bytes), ackDelay, TimeUnit.NANOSECONDS);
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (closePromise != null && unwritten == 0) {
      closeNow();
    }
  }

  /**
   * A close waits until what was written before it has crossed the emulated link, as TCP delivers
   * sent data before its FIN; dropping it would lose messages a real network delivers (a link
   * replaced by the tie-break, an idle close). Bounded: a stuck path closes after 10 s anyway.
   */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (unwritten == 0 || closed || !ctx.channel().isActive()) {
      ctx.close(promise);
      return;
    }
    if (closePromise != null) {
      closePromise.addListener(f -> promise.trySuccess()); // already closing
      return;
    }
    closePromise = promise;
    ctx.executor().schedule(this::closeNow, 10, TimeUnit.SECONDS);
  }

  private void closeNow() {
    ChannelPromise p = closePromise;
    if (p != null) {
      closePromise = null;
      ctx.close(p);
    }
  }

  private void release(long bytes) {
    held -= bytes;
    if (throttled && held < emulator.windowBytes() / 2) {
      setWritable(true);
    }
  }

  private void setWritable(boolean writable) {
    throttled = !writable;
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    if (out != null) {
      out.setUserDefinedWritability(WRITABILITY_BIT, writable);
    }
  }

  /** Under the emulator's monitor: the connection is gone, drop what waits for link time. */
  void releasePending() {
    LinkEmulator.Pending p;
    while ((p = pending.pollFirst()) != null) {
      p.buf().release();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    closed = true;
    synchronized (emulator) {
      releasePending();
      emulator.forget(this);
    }
    deliverDue(); // releases whatever is in flight
  }
}
