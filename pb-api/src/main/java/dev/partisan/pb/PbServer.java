package dev.partisan.pb;

import dev.partisan.pb.dispatch.PbDispatcher;
import dev.partisan.pb.wire.PbFrameDecoder;
import dev.partisan.pb.wire.PbResponseEncoder;
import dev.partisan.runtime.transport.NettyTransports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riak's Protocol Buffers API on Netty: one listening socket, connections on their own event loops
 * (not the cluster transport's, so client load does not delay heartbeats and gossip). Each
 * connection is a {@link PbFrameDecoder}, a {@link PbResponseEncoder} and a {@link PbConnection}
 * that serves its frames through the {@link PbDispatcher}.
 */
public final class PbServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PbServer.class);

  private final EventLoopGroup group;
  private final Channel listener;

  private PbServer(EventLoopGroup group, Channel listener) {
    this.group = group;
    this.listener = listener;
  }

  /**
   * Binds and starts serving, RpbStartTls refused; see {@link #start(PbSettings, PbDispatcher,
   * String, SslContext)}.
   */
  public static PbServer start(PbSettings settings, PbDispatcher dispatcher, String nodeName) {
    return start(settings, dispatcher, nodeName, null);
  }

  /**
   * Binds and starts serving; throws {@link IllegalStateException} if the port is taken.
   *
   * @param startTls the server context a connection switches to on RpbStartTls; null refuses it
   *     (Riak's "Security not enabled" answer)
   */
  public static PbServer start(
      PbSettings settings, PbDispatcher dispatcher, String nodeName, SslContext startTls) {
    NettyTransports.Kind kind = NettyTransports.detect();
    int threads =
        settings.eventLoopThreads() > 0
            ? settings.eventLoopThreads()
            : Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = kind.newGroup(threads, "pb-" + nodeName);
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(kind.serverChannel())
              .childOption(ChannelOption.TCP_NODELAY, true)
              // A client that half-closes still gets the answers to what it sent.
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast("frames", new PbFrameDecoder(settings.maxFrameBytes()))
                          .addLast("responses", PbResponseEncoder.INSTANCE)
                          .addLast("connection", new PbConnection(dispatcher, startTls));
                    }
                  });
      Channel listener = b.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
      PbServer server = new PbServer(group, listener);
      log.info("PB API of {} on {}:{}", nodeName, settings.host(), server.port());
      return server;
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot listen for PB on " + settings.host() + ":" + settings.port() + ": " + e, e);
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
