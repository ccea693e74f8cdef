package dev.partisan.bench.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One accepted client connection and the connection to the target made for it. Installed on the
 * accepted channel (reading off until the target answers); dials the target on the same event loop,
 * puts the emulated link first in both pipelines (client to target on the target's channel, target
 * to client on the client's) and relays. If the target cannot be reached the accepted connection is
 * closed with a line saying why; the proxy keeps running.
 *
 * <p>Threading: created and run on the accepted channel's event loop, which also runs the target
 * channel; the counters are adders because the totals are read elsewhere.
 */
final class ProxiedConnection extends ChannelInboundHandlerAdapter {
  /** The emulated path names: every connection of this proxy shares the same two paths. */
  static final String CLIENTS = "clients";

  static final String TARGET = "target";

  private final LinkProxy proxy;
  private final int id;
  private final LongAdder up = new LongAdder();
  private final LongAdder down = new LongAdder();
  private final AtomicInteger open = new AtomicInteger(2); // sides not yet closed
  private int directionsEnded; // on the event loop: FINs seen, one per direction at most
  private long startNanos;
  private String client;
  private Channel accepted; // set on the event loop before anything is relayed
  private Channel target;

  ProxiedConnection(LinkProxy proxy, int id) {
    this.proxy = proxy;
    this.id = id;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    accepted = ctx.channel();
    client = String.valueOf(accepted.remoteAddress());
    proxy.totals().accepted.increment();
    startNanos = System.nanoTime();
    LinkSettings settings = proxy.settings();
    ChannelFuture dial =
        new Bootstrap()
            .group(accepted.eventLoop())
            .channel(proxy.transport().socketChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.RCVBUF_ALLOCATOR, settings.readSizes())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast("link", proxy.emulator().connectionHandler(CLIENTS, TARGET))
                        .addLast(
                            "relay",
                            new RelayHandler(
                                ProxiedConnection.this,
                                accepted,
                                ProxiedConnection.this::carriedDown));
                  }
                })
            .connect(settings.targetHost(), settings.targetPort());
    dial.addListener(f -> connected(dial.channel(), f.cause()));
    ctx.fireChannelActive();
  }

  private void connected(Channel dialed, Throwable failure) {
    if (failure != null) {
      proxy.totals().failed.increment();
      proxy.event(
          String.format(
              Locale.ROOT,
              "#%d from %s: cannot reach the target %s (%s); closing the accepted connection",
              id,
              client,
              proxy.settings().target(),
              failure.getMessage()));
      accepted.close();
      return;
    }
    target = dialed;
    if (!accepted.isActive()) {
      target.close(); // the client left while the target was being dialed
      return;
    }
    proxy.totals().opened.increment();
    proxy.event(
        String.format(
            Locale.ROOT,
            "#%d open: %s -> %s (via %s)",
            id,
            client,
            proxy.settings().target(),
            target.localAddress()));
    accepted.closeFuture().addListener(f -> sideClosed());
    target.closeFuture().addListener(f -> sideClosed());
    accepted
        .pipeline()
        .addFirst("link", proxy.emulator().connectionHandler(TARGET, CLIENTS))
        .replace(this, "relay", new RelayHandler(this, target, this::carriedUp));
    accepted.config().setAutoRead(true);
    target.config().setAutoRead(true);
  }

  /** A side sent its FIN (on the event loop): when both have, nothing more can flow. */
  void directionEnded() {
    if (++directionsEnded == 2) {
      accepted.close();
      target.close();
    }
  }

  private void carriedUp(long bytes) {
    up.add(bytes);
    proxy.totals().bytesUp.add(bytes);
  }

  private void carriedDown(long bytes) {
    down.add(bytes);
    proxy.totals().bytesDown.add(bytes);
  }

  private void sideClosed() {
    if (open.decrementAndGet() != 0) {
      return;
    }
    proxy.totals().closed.increment();
    proxy.event(
        String.format(
            Locale.ROOT,
            "#%d closed after %.3f s: %d B up, %d B down",
            id,
            (System.nanoTime() - startNanos) / 1e9,
            up.sum(),
            down.sum()));
  }

  /** Either side failed (a reset, most often): say so once; the relay closes both. */
  void error(Channel side, Throwable cause) {
    proxy.event(String.format(Locale.ROOT, "#%d error on %s: %s", id, side, cause.getMessage()));
  }
}
