package dev.partisan.pb.client;

import com.google.protobuf.ByteString;
import dev.partisan.pb.proto.RiakMessages.RpbAuthReq;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbFrame;
import dev.partisan.pb.wire.PbFrameDecoder;
import dev.partisan.pb.wire.PbFrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One keep-alive connection to a node, requests pipelined: they are written in the order they are
 * submitted, and since the server answers in request order (docs/pb.md), each answer frame belongs
 * to the oldest request still waiting. Futures are completed on this connection's event loop as the
 * answer is read, with no further hop.
 *
 * <p>Threads: {@link #submit} is called from any thread; it queues the call in {@code outgoing} and
 * schedules at most one drain task, which writes everything queued and flushes once (so concurrent
 * callers share syscalls and event-loop wake-ups). {@code awaiting}, {@code ctx} and the timeout
 * task are owned by the event loop.
 *
 * <p>With a TLS context, the connection is {@linkplain #ready() ready} only after RpbStartTls has
 * been answered and the TLS handshake has completed: the RpbStartTls request waits in {@code
 * awaiting} like any call (so the request timeout covers it), and its answer puts an SslHandler in
 * front of the pipeline. With credentials too, RpbAuthReq follows the handshake the same way, and
 * the connection is ready once it is answered.
 */
final class PbClientConnection extends ChannelInboundHandlerAdapter {
  /**
   * The connection of a channel, set when the channel is initialised. Kept as an attribute because
   * the pool looks for it once the connect completes, and by then a channel the server closed at
   * once may already have been closed, its pipeline emptied.
   */
  private static final AttributeKey<PbClientConnection> OF_CHANNEL =
      AttributeKey.valueOf(PbClientConnection.class, "connection");

  private final long requestTimeoutNanos;
  private final SslContext startTls; // null: plaintext
  private final PbCredentials credentials; // null: no RpbAuthReq
  private final CompletableFuture<PbClientConnection> ready = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<PbCall<?>> outgoing = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private final ArrayDeque<PbCall<?>> awaiting = new ArrayDeque<>();
  private volatile boolean closed;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timeoutCheck;

  PbClientConnection(long requestTimeoutNanos, SslContext startTls, PbCredentials credentials) {
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.startTls = startTls;
    this.credentials = credentials;
  }

  /** Adds this connection to {@code ch}'s pipeline (as "calls") and to its attributes. */
  void install(Channel ch) {
    ch.attr(OF_CHANNEL).set(this);
    ch.pipeline().addLast("calls", this);
  }

  /** The connection installed on {@code ch}, whether or not the channel is still open. */
  static PbClientConnection of(Channel ch) {
    return ch.attr(OF_CHANNEL).get();
  }

  /** Completes when requests may be submitted: at once, or once TLS is up; fails if it cannot. */
  CompletableFuture<PbClientConnection> ready() {
    return ready;
  }

  boolean isOpen() {
    return !closed;
  }

  Channel channel() {
    return ctx.channel();
  }

  /** Sends {@code call} after every call submitted before it; fails it if the connection closed. */
  void submit(PbCall<?> call) {
    if (closed) {
      call.fail(new PbConnectionException("connection to " + remote() + " is closed"));
      return;
    }
    outgoing.add(call);
    if (closed) {
      // Closed meanwhile: the close may have drained the queue before our add.
      failOutgoing();
    } else if (drainScheduled.compareAndSet(false, true)) {
      ctx.executor().execute(drain);
    }
  }

  /** On the event loop: write every queued call, one flush. */
  private void drain() {
    drainScheduled.set(false);
    boolean wrote = false;
    long now = System.nanoTime();
    PbCall<?> call;
    while ((call = outgoing.poll()) != null) {
      if (closed) {
        call.fail(new PbConnectionException("connection to " + remote() + " is closed"));
        continue;
      }
      ByteBuf frame;
      try {
        frame = PbFrameWriter.frame(ctx.alloc(), call.requestCode, call.body);
      } catch (IOException | RuntimeException e) {
        call.fail(e);
        continue;
      }
      call.sentAt = now;
      awaiting.add(call);
      ctx.write(frame, ctx.voidPromise());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long period = Math.clamp(requestTimeoutNanos / 4, 5_000_000L, 1_000_000_000L);
    timeoutCheck =
        ctx.executor()
            .scheduleAtFixedRate(this::checkTimeout, period, period, TimeUnit.NANOSECONDS);
    if (startTls == null) {
      ready.complete(this);
    } else {
      requestTls();
    }
    super.channelActive(ctx);
  }

  /** Sends RpbStartTls; its answer switches the connection to TLS. */
  private void requestTls() {
    int code = MessageCode.RPB_START_TLS.code();
    PbCall<Void> call = new PbCall<>(code, null, code, null);
    call.future.whenComplete(
        (answered, failed) -> {
          if (failed != null) {
            ready.completeExceptionally(failed);
            close(new PbConnectionException("RpbStartTls refused by " + remote(), failed));
          } else {
            // A task of its own: this runs inside the frame decoder's read.
            ctx.executor().execute(this::addTls);
          }
        });
    submit(call);
  }

  /** The node answered RpbStartTls: everything from here on is TLS. */
  private void addTls() {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    SslHandler tls = startTls.newHandler(ctx.alloc(), peer.getHostString(), peer.getPort());
    ctx.pipeline().addFirst("tls", tls);
    ByteBuf early = ctx.pipeline().get(PbFrameDecoder.class).handOver();
    if (early.isReadable()) {
      ctx.pipeline().fireChannelRead(early);
    } else {
      early.release();
    }
    tls.handshakeFuture()
        .addListener(
            done -> {
              if (done.isSuccess() && credentials != null) {
                authenticate();
              } else if (done.isSuccess()) {
                ready.complete(this);
              } else {
                ready.completeExceptionally(done.cause());
                close(new PbConnectionException("TLS handshake with " + remote() + " failed"));
              }
            });
  }

  /** Sends RpbAuthReq inside TLS; the connection is ready once the node accepts it. */
  private void authenticate() {
    RpbAuthReq req =
        RpbAuthReq.newBuilder()
            .setUser(ByteString.copyFromUtf8(credentials.user()))
            .setPassword(credentials.password())
            .build();
    PbCall<Void> call =
        new PbCall<>(MessageCode.RPB_AUTH_REQ.code(), req, MessageCode.RPB_AUTH_RESP.code(), null);
    call.future.whenComplete(
        (answered, failed) -> {
          if (failed == null) {
            ready.complete(this);
          } else {
            ready.completeExceptionally(failed);
            close(new PbConnectionException("RpbAuthReq refused by " + remote(), failed));
          }
        });
    submit(call);
  }

  /** The oldest waiting request is the one that has waited longest: only it needs a look. */
  private void checkTimeout() {
    PbCall<?> oldest = awaiting.peek();
    if (oldest != null && System.nanoTime() - oldest.sentAt > requestTimeoutNanos) {
      close(
          new PbConnectionException(
              "no answer from "
                  + remote()
                  + " within "
                  + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos)
                  + " ms; connection closed"));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (msg) {
      case PbFrame.Request frame -> {
        try {
          answer(frame.code(), frame.body());
        } finally {
          frame.body().release();
        }
      }
      case PbFrame.Invalid invalid ->
          close(new PbConnectionException(remote() + " sent a bad frame: " + invalid.message()));
      default -> ReferenceCountUtil.release(msg);
    }
  }

  /** One answer frame: it belongs to the oldest waiting call. */
  private void answer(int code, ByteBuf body) {
    PbCall<?> call = awaiting.poll();
    if (call == null) {
      close(new PbConnectionException(remote() + " sent an answer (code " + code + ") unasked"));
      return;
    }
    try {
      if (code == call.answerCode) {
        call.answer(body);
      } else if (code == MessageCode.RPB_ERROR_RESP.code()) {
        RpbErrorResp err = PbCall.parse(RpbErrorResp.parser(), body);
        call.fail(new PbErrorException(err.getErrmsg().toStringUtf8(), err.getErrcode()));
      } else {
        // A streamed or foreign answer: the one-answer-per-request matching no longer holds.
        PbConnectionException e =
            new PbConnectionException(
                remote() + " answered code " + code + " where " + call.answerCode + " was due");
        call.fail(e);
        close(e);
      }
    } catch (IOException e) {
      call.fail(new PbConnectionException("malformed answer from " + remote() + ": " + e, e));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    close(new PbConnectionException("connection to " + remote() + " closed"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    close(new PbConnectionException("connection to " + remote() + " failed: " + cause, cause));
  }

  /** On the event loop: fails every call not yet answered and closes the channel. */
  private void close(PbConnectionException cause) {
    closed = true;
    ready.completeExceptionally(cause);
    if (timeoutCheck != null) {
      timeoutCheck.cancel(false);
    }
    PbCall<?> call;
    while ((call = awaiting.poll()) != null) {
      call.fail(cause);
    }
    failOutgoing();
    ctx.close();
  }

  private void failOutgoing() {
    PbCall<?> call;
    while ((call = outgoing.poll()) != null) {
      call.fail(new PbConnectionException("connection to " + remote() + " is closed"));
    }
  }

  /** Closes from any thread (the client's close). */
  void closeAsync() {
    ctx.executor().execute(() -> close(new PbConnectionException("client closed")));
  }

  private Object remote() {
    return ctx == null ? "?" : ctx.channel().remoteAddress();
  }
}
