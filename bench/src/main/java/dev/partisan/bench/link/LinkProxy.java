package dev.partisan.bench.link;

import dev.partisan.runtime.transport.LinkEmulator;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code bench link}'s TCP proxy: every connection accepted on the listening address is forwarded
 * to the target through the in-process {@link LinkEmulator} itself (its per-connection handler on
 * each socket), so a process of any system sees the same link as the runtime's nodes do: a one-way
 * delay in each direction, a cap per direction shared fairly by all the proxy's connections, and a
 * window per connection.
 *
 * <p>Threading: connections run on a group of event loops (both sockets of a connection on the same
 * loop); the emulator's pacer thread hands out link time. {@code events} is called from the event
 * loops, one line at a time.
 */
public final class LinkProxy implements AutoCloseable {
  private final LinkSettings settings;
  private final Consumer<String> events;

  /**
   * Java's NIO sockets, not epoll: with half-closure allowed, an epoll channel whose client sent
   * its data and FIN before the target answered (reading off) lost both ({@code epoll_ctl} failed
   * with ENOENT when reading was turned on; Netty 4.2, seen with {@code shutdown(SHUT_WR)} right
   * after a 1000-byte request). NIO delivers the data, then the end of stream.
   */
  private final NettyTransports.Kind transport = NettyTransports.NIO;

  private final LinkEmulator emulator;
  private final EventLoopGroup loops;
  private final LinkTotals totals = new LinkTotals();
  private final AtomicInteger nextId = new AtomicInteger();
  private final Channel server;

  private LinkProxy(LinkSettings settings, Consumer<String> events, int threads) {
    this.settings = settings;
    this.events = events;
    this.emulator = settings.emulator();
    this.loops = transport.newGroup(threads, "bench-link");
    try {
      this.server =
          new ServerBootstrap()
              .group(loops)
              .channel(transport.serverChannel())
              .childOption(ChannelOption.AUTO_READ, false) // until the target answers
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true) // a FIN is passed on
              .childOption(ChannelOption.RCVBUF_ALLOCATOR, settings.readSizes())
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel accepted) {
                      accepted
                          .pipeline()
                          .addLast(
                              "open",
                              new ProxiedConnection(LinkProxy.this, nextId.incrementAndGet()));
                    }
                  })
              .bind(settings.listenHost(), settings.listenPort())
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      shutDown();
      throw new IllegalArgumentException(
          "cannot listen on " + settings.listenHost() + ":" + settings.listenPort() + ": " + e, e);
    }
  }

  /** Listens now; {@code events} gets a line per connection opened, closed or refused. */
  public static LinkProxy start(LinkSettings settings, Consumer<String> events) {
    return new LinkProxy(settings, events, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** The port accepting connections (the one chosen when the settings said 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public LinkSettings settings() {
    return settings;
  }

  public LinkTotals totals() {
    return totals;
  }

  LinkEmulator emulator() {
    return emulator;
  }

  NettyTransports.Kind transport() {
    return transport;
  }

  void event(String line) {
    events.accept(line);
  }

  /** Stops accepting, closes every connection and stops the pacer. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    shutDown();
  }

  private void shutDown() {
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    emulator.close();
  }
}
