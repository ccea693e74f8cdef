package dev.partisan.bench.kv.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection to one node, pinned to one event loop, that reconnects when
 * the node closes it. Requests may be pipelined: answers come back in order and complete the
 * exchanges first in, first out. When the connection drops, every exchange in flight fails and a
 * new connection replaces it (at once the first time, then every {@link #RETRY_MILLIS} while the
 * node refuses), so a load run survives a node that closes idle or errored connections.
 *
 * <p>All mutable state is owned by {@link #eventLoop()}; {@link #send} must run there.
 */
public final class HttpLoadConnection {
  /** One request's outcome; called on the event loop. */
  public interface Exchange {
    void onResponse(int status, long bodyBytes);

    void onFailure(Throwable cause);
  }

  static final long RETRY_MILLIS = 100;

  // Shared and without stack traces: a dropped connection fails many exchanges at once.
  private static final IOException NOT_CONNECTED = new StacklessIOException("not connected");
  private static final IOException CLOSED_MID_EXCHANGE =
      new StacklessIOException("connection closed before the answer");

  private static final class StacklessIOException extends IOException {
    StacklessIOException(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final SslContext tls; // null: plain HTTP
  private final EventLoop loop;
  private final ArrayDeque<Exchange> inFlight = new ArrayDeque<>();
  private final List<Runnable> waiting = new ArrayList<>();
  private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
  private final long timeoutNanos;
  private Channel channel; // the live connection, null while (re)connecting
  private long progressNanos; // when the oldest exchange in flight was sent or the last answer came
  private boolean closed;
  private int connects;

  HttpLoadConnection(
      Bootstrap bootstrap,
      InetSocketAddress address,
      SslContext tls,
      EventLoop loop,
      Duration timeout) {
    this.bootstrap = bootstrap.clone(loop);
    this.address = address;
    this.tls = tls;
    this.loop = loop;
    this.timeoutNanos = timeout.toNanos();
    loop.execute(this::connect);
    // One check a second instead of a timer per request: a stalled node costs the lanes on this
    // connection one timeout, then they go on over a new connection.
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 2));
    loop.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
  }

  private void checkStall() {
    if (channel != null
        && !inFlight.isEmpty()
        && System.nanoTime() - progressNanos > timeoutNanos) {
      channel.close(); // fails what is in flight as errors; a new connection replaces it
    }
  }

  public EventLoop eventLoop() {
    return loop;
  }

  public ByteBufAllocator alloc() {
    return channel == null ? ByteBufAllocator.DEFAULT : channel.alloc();
  }

  /** Completes when the first connection (and its TLS handshake) is up, or fails with why not. */
  CompletableFuture<Void> firstReady() {
    return firstReady;
  }

  /** How many times a connection was opened (1 until the node closed one); on the event loop. */
  public int connects() {
    return connects;
  }

  /** Whether a connection is up now; on the event loop. */
  public boolean ready() {
    return channel != null;
  }

  /**
   * Runs {@code r} on the event loop as soon as a connection is up (now, if one is): a closed-loop
   * lane waits here instead of failing requests in a tight loop while the node is away.
   */
  public void whenReady(Runnable r) {
    if (channel != null) {
      r.run();
    } else if (!closed) {
      waiting.add(r);
    }
  }

  /**
   * Writes a request ({@code head}, then {@code body} if not null) and queues {@code exchange} for
   * its answer. Takes ownership of both buffers. On the event loop.
   */
  public void send(ByteBuf head, ByteBuf body, Exchange exchange) {
    Channel ch = channel;
    if (ch == null) {
      head.release();
      if (body != null) {
        body.release();
      }
      exchange.onFailure(NOT_CONNECTED);
      return;
    }
    if (inFlight.isEmpty()) {
      progressNanos = System.nanoTime();
    }
    inFlight.add(exchange);
    if (body == null) {
      ch.writeAndFlush(head, ch.voidPromise());
    } else {
      ch.write(head, ch.voidPromise());
      ch.writeAndFlush(body, ch.voidPromise());
    }
  }

  /** Closes the connection for good (no reconnect); exchanges in flight fail. */
  void close() {
    loop.execute(
        () -> {
          closed = true;
          waiting.clear();
          if (channel != null) {
            channel.close();
          }
        });
  }

  /** Drops the live connection as a node would (tests): it is replaced. On the event loop. */
  public void dropForTest() {
    if (channel != null) {
      channel.close();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture f = bootstrap.connect(address);
    f.addListener(
        x -> {
          if (!x.isSuccess()) {
            retryLater(x.cause());
            return;
          }
          Channel ch = f.channel();
          Handler handler = new Handler(ch);
          if (tls == null) {
            ch.pipeline().addLast(handler);
            up(ch);
            return;
          }
          SslHandler ssl = tls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
          ch.pipeline().addLast(ssl, handler);
          ssl.handshakeFuture()
              .addListener(
                  h -> {
                    if (h.isSuccess()) {
                      up(ch);
                    } else {
                      ch.close();
                      retryLater(h.cause());
                    }
                  });
        });
  }

  private void retryLater(Throwable cause) {
    if (connects == 0) {
      firstReady.completeExceptionally(cause); // the run cannot start: say why
      closed = true;
      return;
    }
    loop.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void up(Channel ch) {
    if (closed || !ch.isActive()) {
      ch.close();
      return;
    }
    channel = ch;
    connects++;
    firstReady.complete(null);
    List<Runnable> ready = new ArrayList<>(waiting);
    waiting.clear();
    ready.forEach(Runnable::run);
  }

  /** The pipeline's last handler: parses answers and completes exchanges in order. */
  private final class Handler extends ChannelInboundHandlerAdapter
      implements HttpResponseParser.Listener {
    private final Channel ch;
    private final HttpResponseParser parser = new HttpResponseParser(this);
    private boolean lost;

    Handler(Channel ch) {
      this.ch = ch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        parser.feed(in);
      } catch (HttpResponseParser.MalformedResponseException e) {
        lose(e);
        ctx.close();
      } finally {
        in.release();
      }
    }

    @Override
    public void onResponse(int status, long bodyBytes, boolean close) {
      Exchange e = inFlight.poll();
      progressNanos = System.nanoTime();
      if (e == null) {
        throw new HttpResponseParser.MalformedResponseException("an answer nobody asked for");
      }
      if (close) {
        // The node said so: what was pipelined behind fails, the next request waits for a new
        // connection instead of going out on this closing one.
        lose(CLOSED_MID_EXCHANGE);
        ch.close();
      }
      e.onResponse(status, bodyBytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      parser.closed();
      lose(CLOSED_MID_EXCHANGE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // channelInactive fails what is in flight and reconnects
    }

    /** Once per connection: what is in flight fails, and a new connection replaces this one. */
    private void lose(Throwable cause) {
      if (lost) {
        return;
      }
      lost = true;
      boolean wasLive = channel == ch;
      if (wasLive) {
        channel = null; // first, so that failed lanes wait for the new connection
      }
      Exchange e;
      while ((e = inFlight.poll()) != null) {
        e.onFailure(cause);
      }
      if (wasLive) {
        loop.execute(HttpLoadConnection.this::connect);
      }
    }
  }
}
