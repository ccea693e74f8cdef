package dev.partisan.pb;

import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbErrors;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.wire.PbFrame;
import dev.partisan.pb.wire.PbResponse;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: serves its frames one at a time, in arrival order, so responses leave in
 * request order even when a client pipelines (Riak's clients may). Frames that arrive while a
 * request is in the store wait in a queue; past {@link #MAX_QUEUED} reading pauses (TCP pushes back
 * on the client) until the queue drains.
 *
 * <p>All fields are owned by the connection's event loop: the store's futures complete elsewhere,
 * and hop back with {@code executor().execute} before touching them. Responses are given from any
 * thread and always queued as event-loop tasks, in the order they were given; the hop back that
 * ends a request is queued after them, so a request's last response is written before the next
 * request starts, and responses leave in request order.
 *
 * <p>Nothing a client sends closes the connection silently: a frame over the limit or a truncated
 * frame gets an RpbErrorResp, then the connection closes once the requests before it are answered.
 */
final class PbConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PbConnection.class);

  /** Frames waiting behind the one in service before reading pauses. */
  static final int MAX_QUEUED = 64;

  private final PbDispatcher dispatcher;
  private final ArrayDeque<PbFrame> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private PbSession session;
  private boolean busy;
  private boolean closeWhenIdle;

  PbConnection(PbDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.session = new PbSession(ctx.channel().remoteAddress());
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PbFrame frame) || closeWhenIdle) {
      ReferenceCountUtil.release(msg instanceof PbFrame.Request r ? r.body() : msg);
      return;
    }
    queue.add(frame);
    if (queue.size() > MAX_QUEUED) {
      ctx.channel().config().setAutoRead(false);
    }
    serveNext();
  }

  /** Starts the next queued frame unless one is in service; closes when asked and idle. */
  private void serveNext() {
    while (!busy && !queue.isEmpty()) {
      PbFrame frame = queue.poll();
      switch (frame) {
        case PbFrame.Invalid invalid -> {
          ctx.writeAndFlush(PbErrors.response(invalid.message()));
          if (invalid.fatal()) {
            log.debug("{}: {}", session.remote(), invalid.message());
            closeWhenIdle = true;
            releaseQueued();
          }
        }
        case PbFrame.Request request -> serve(request);
      }
    }
    if (!busy && closeWhenIdle && ctx.channel().isOpen()) {
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (queue.size() <= MAX_QUEUED / 2 && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void serve(PbFrame.Request request) {
    busy = true;
    CompletableFuture<Void> done;
    try {
      done = dispatcher.dispatch(request.code(), request.body(), session, this::send);
    } catch (RuntimeException e) {
      // The dispatcher answers every failure itself; this is a bug, but the client still hears.
      log.error("{}: request code {} failed", session.remote(), request.code(), e);
      send(PbErrors.response(e));
      done = CompletableFuture.completedFuture(null);
    }
    // Even when the request is already done, the rest runs as a task: its responses may still be
    // queued tasks themselves, and the next request must not start before they are written.
    done.whenComplete(
        (ok, failure) ->
            ctx.executor()
                .execute(
                    () -> {
                      ctx.flush();
                      busy = false;
                      serveNext();
                    }));
  }

  /**
   * Writes a response, from any thread, always through the event loop's task queue: a response
   * given on the event loop itself must not overtake one an earlier request gave from a store
   * thread that is still queued there.
   */
  private void send(PbResponse response) {
    ctx.executor().execute(() -> ctx.write(response, ctx.voidPromise()));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      // The client is done sending: answer what it sent, then close.
      closeWhenIdle = true;
      serveNext();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseQueued();
    super.channelInactive(ctx);
  }

  private void releaseQueued() {
    for (PbFrame f : queue) {
      if (f instanceof PbFrame.Request r) {
        r.body().release();
      }
    }
    queue.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Object who = session == null ? "?" : session.remote();
    if (cause instanceof java.io.IOException) {
      // A socket error (a reset by the peer): nobody is left to answer.
      log.debug("{}: connection error: {}", who, cause.toString());
    } else {
      // Not the client's doing (input errors are answered before this point): a bug to see.
      log.warn("{}: closing the connection after an unexpected error", who, cause);
    }
    ctx.close();
  }
}
