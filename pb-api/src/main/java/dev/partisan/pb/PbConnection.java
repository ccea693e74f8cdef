package dev.partisan.pb;

import dev.partisan.kv.security.Authentication;
import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.dispatch.PbErrors;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.dispatch.PbSession;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbFrame;
import dev.partisan.pb.wire.PbFrameDecoder;
import dev.partisan.pb.wire.PbResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: serves its frames one at a time, in arrival order, so responses leave in
 * request order even when a client pipelines (Riak's clients may). Frames that arrive while a
 * request is in the store wait in a queue; past {@link #MAX_QUEUED} reading pauses (TCP pushes back
 * on the client) until the queue drains.
 *
 * <p>The fields are owned by the connection's event loop (except {@code streamedPending}): the
 * store's futures complete elsewhere and hop back with {@code executor().execute} before touching
 * them. A request's last (for most, only) response comes back as its future's value and is written
 * by the same task that starts the next request; streamed frames given before it are queued as
 * event-loop tasks in the order given, ahead of that task. So responses leave in request order. A
 * request answered at once on the event loop (ping, an error) is written without a hop, but only
 * when no streamed frame is still queued.
 *
 * <p>Nothing a client sends closes the connection silently: a frame over the limit or a truncated
 * frame gets an RpbErrorResp, then the connection closes once the requests before it are answered.
 *
 * <p>RpbStartTls (served here, not by the dispatcher, as it changes the connection itself): with
 * TLS material, its answer is flushed in plaintext after every earlier answer, and only then is an
 * {@link SslHandler} put in front of the pipeline. Reading is paused meanwhile and the frame
 * decoder holds back whatever follows the request ({@link PbFrameDecoder}), so a ClientHello sent
 * early reaches the TLS layer, never the frame decoder. The session learns of the completed
 * handshake ({@link PbSession#tlsActive()}, {@link PbSession#clientCertificate()}).
 *
 * <p>RpbAuthReq while security is enabled (served here too, as it changes the connection): checked
 * off the event loop ({@link PbAuthenticator}); a success makes the session that principal's; a
 * failure is answered only after {@code authFailureDelay} (a scheduled task: the loop goes on), and
 * the {@link PbAuthenticator#MAX_FAILURES}th closes the connection after its answer. While security
 * is enabled, a connection that has not authenticated within {@code authTimeout} of opening is
 * closed; while it is disabled the check is repeated every {@code authTimeout}, so a connection
 * opened then is closed once security is on if it does not authenticate.
 */
final class PbConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PbConnection.class);

  /** Frames waiting behind the one in service before reading pauses. */
  static final int MAX_QUEUED = 64;

  /** The answer to RpbStartTls on a connection that is already TLS. */
  static final String ALREADY_TLS = "STARTTLS not allowed: this connection is already TLS";

  private final PbDispatcher dispatcher;
  private final SslContext startTls; // null: RpbStartTls is refused
  private final PbAuthenticator authenticator; // null: the server has no security service
  private final Duration authTimeout;
  private final Duration authFailureDelay;
  private int authFailures;
  private final ArrayDeque<PbFrame> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private PbSession session;
  private boolean busy;
  private boolean closeWhenIdle;
  private boolean upgrading; // from the RpbStartTls answer until the SslHandler is in place

  /** Streamed frames given but not yet written (the one field other threads touch). */
  private final AtomicInteger streamedPending = new AtomicInteger();

  PbConnection(
      PbDispatcher dispatcher,
      SslContext startTls,
      PbAuthenticator authenticator,
      Duration authTimeout,
      Duration authFailureDelay) {
    this.dispatcher = dispatcher;
    this.startTls = startTls;
    this.authenticator = authenticator;
    this.authTimeout = authTimeout;
    this.authFailureDelay = authFailureDelay;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.session = new PbSession(ctx.channel().remoteAddress());
    if (authenticator != null) {
      scheduleAuthCheck();
    }
    super.channelActive(ctx);
  }

  private void scheduleAuthCheck() {
    ctx.executor().schedule(this::checkAuthenticated, authTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** pb.auth_timeout_ms has passed since the connection opened (or since the last look). */
  private void checkAuthenticated() {
    if (!ctx.channel().isOpen() || session.principal() != null) {
      return;
    }
    if (dispatcher.securityEnabled()) {
      log.info(
          "{}: closing: not authenticated within {} ms (pb.auth_timeout_ms)",
          session.remote(),
          authTimeout.toMillis());
      ctx.close();
    } else {
      scheduleAuthCheck();
    }
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

  /** Serves queued frames until one is in service; closes when asked and idle. */
  private void serveNext() {
    while (!busy && !queue.isEmpty()) {
      PbFrame frame = queue.poll();
      switch (frame) {
        case PbFrame.Invalid invalid -> {
          ctx.write(PbErrors.response(invalid.message()), ctx.voidPromise());
          if (invalid.fatal()) {
            log.debug("{}: {}", session.remote(), invalid.message());
            closeWhenIdle = true;
            releaseQueued();
          }
        }
        case PbFrame.Request request when request.code() == MessageCode.RPB_START_TLS.code() ->
            startTls(request);
        case PbFrame.Request request
            when request.code() == MessageCode.RPB_AUTH_REQ.code()
                && dispatcher.securityEnabled() ->
            authenticate(request);
        case PbFrame.Request request -> serve(request);
      }
    }
    // One flush for everything answered in this pass (pipelined requests answered at once).
    ctx.flush();
    if (!busy && closeWhenIdle && ctx.channel().isOpen()) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!upgrading && queue.size() <= MAX_QUEUED / 2 && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * RpbStartTls. Nothing follows it in the queue: the decoder holds everything behind it. Refused
   * (no material, or TLS already on), the answer is an error and decoding resumes in a task of its
   * own, since this may run inside the decoder.
   */
  private void startTls(PbFrame.Request request) {
    request.body().release();
    if (startTls == null || session.tlsActive()) {
      String why = startTls == null ? PbDispatcher.NO_SECURITY_TLS : ALREADY_TLS;
      ctx.write(PbErrors.response(why), ctx.voidPromise());
      ctx.executor().execute(() -> decoder().resume(ctx.pipeline().context(decoder())));
      return;
    }
    busy = true;
    upgrading = true;
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(PbResponse.empty(MessageCode.RPB_START_TLS))
        .addListener(
            written -> {
              if (written.isSuccess()) {
                // A task of its own: the listener may run inside the decoder's read.
                ctx.executor().execute(this::addTls);
              } else {
                ctx.close();
              }
            });
  }

  /** RpbAuthReq while security is enabled: checked off the loop, answered back on it. */
  private void authenticate(PbFrame.Request request) {
    String refused = PbAuthenticator.refusal(session);
    if (refused != null) {
      request.body().release();
      ctx.write(PbErrors.response(refused), ctx.voidPromise());
      return;
    }
    busy = true;
    CompletableFuture<Authentication> check;
    try {
      check = authenticator.check(request.body(), session);
    } finally {
      request.body().release();
    }
    check.whenComplete(
        (result, failure) -> ctx.executor().execute(() -> authenticated(result, failure)));
  }

  private void authenticated(Authentication result, Throwable failure) {
    if (failure == null && result.succeeded()) {
      session.authenticated(result.principal());
      log.debug("{}: authenticated as {}", session.remote(), result.principal().user());
      finish(PbResponse.empty(MessageCode.RPB_AUTH_RESP));
      return;
    }
    authFailures++;
    boolean last = authFailures >= PbAuthenticator.MAX_FAILURES;
    Throwable cause = failure == null ? null : PbErrors.unwrap(failure);
    String answer =
        cause instanceof PbRequestException ? cause.getMessage() : PbAuthenticator.FAILED;
    if (cause != null && !(cause instanceof PbRequestException)) {
      log.warn("{}: checking an RpbAuthReq failed", session.remote(), cause);
    }
    // Never the password; the reason stays in the log, not in the answer.
    log.info(
        "{}: authentication failed ({} of {}{})",
        session.remote(),
        authFailures,
        PbAuthenticator.MAX_FAILURES,
        result == null ? "" : ", " + result.failure());
    ctx.executor()
        .schedule(
            () -> {
              if (last) {
                closeWhenIdle = true;
                releaseQueued();
              }
              finish(PbErrors.response(answer));
            },
            authFailureDelay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  /** The answer is on the wire: from here on, both directions are TLS. */
  private void addTls() {
    SslHandler tls = startTls.newHandler(ctx.alloc());
    ctx.pipeline().addFirst("tls", tls);
    ByteBuf early = decoder().handOver();
    upgrading = false;
    busy = false;
    ctx.channel().config().setAutoRead(true);
    if (early.isReadable()) {
      ctx.pipeline().fireChannelRead(early); // enters at the head, so through the SslHandler
    } else {
      early.release();
    }
  }

  private PbFrameDecoder decoder() {
    return ctx.pipeline().get(PbFrameDecoder.class);
  }

  private void serve(PbFrame.Request request) {
    busy = true;
    CompletableFuture<PbResponse> done;
    try {
      done = dispatcher.dispatch(request.code(), request.body(), session, this::stream);
    } catch (RuntimeException e) {
      // The dispatcher answers every failure itself; this is a bug, but the client still hears.
      log.error("{}: request code {} failed", session.remote(), request.code(), e);
      done = CompletableFuture.completedFuture(PbErrors.response(e));
    }
    if (done.isDone() && streamedPending.get() == 0) {
      // Answered at once (ping, an error, a refused code): no hop, the loop goes on.
      answered(done.join());
      return;
    }
    // Answered later, on a store thread: one task writes the answer and starts the next request.
    // It is queued after any streamed frame's task, so the order holds.
    done.whenComplete((last, never) -> ctx.executor().execute(() -> finish(last)));
  }

  /** The request in service is answered: write its last response, then serve what waits. */
  private void finish(PbResponse last) {
    answered(last);
    serveNext();
  }

  private void answered(PbResponse last) {
    if (last != null) {
      ctx.write(last, ctx.voidPromise());
    }
    busy = false;
  }

  /**
   * Writes a streamed frame, from any thread, through the event loop's task queue, so that frames
   * leave in the order they were given and before the request's last response.
   */
  private void stream(PbResponse frame) {
    streamedPending.incrementAndGet();
    ctx.executor()
        .execute(
            () -> {
              ctx.writeAndFlush(frame, ctx.voidPromise());
              streamedPending.decrementAndGet();
            });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
      session.tlsEstablished(peerCertificate(ctx.pipeline().get(SslHandler.class)));
      log.debug("{}: TLS established", session.remote());
    }
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

  /** The client's verified certificate, or null when it sent none. */
  private static X509Certificate peerCertificate(SslHandler tls) {
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
      return null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Object who = session == null ? "?" : session.remote();
    if (cause instanceof DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException
        || cause instanceof io.netty.handler.ssl.NotSslRecordException) {
      // A failed handshake or a client that does not speak TLS after RpbStartTls: its doing.
      log.debug("{}: TLS failed, closing: {}", who, cause.toString());
    } else if (cause instanceof java.io.IOException) {
      // A socket error (a reset by the peer): nobody is left to answer.
      log.debug("{}: connection error: {}", who, cause.toString());
    } else {
      // Not the client's doing (input errors are answered before this point): a bug to see.
      log.warn("{}: closing the connection after an unexpected error", who, cause);
    }
    ctx.close();
  }
}
