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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final ExecutorService authChecks; // null without a security service

  private PbServer(EventLoopGroup group, Channel listener, ExecutorService authChecks) {
    this.group = group;
    this.listener = listener;
    this.authChecks = authChecks;
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
    ExecutorService authChecks = dispatcher.security() == null ? null : authExecutor(nodeName);
    PbAuthenticator authenticator =
        authChecks == null ? null : new PbAuthenticator(dispatcher.security(), authChecks);
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
                          .addLast(
                              "frames",
                              new PbFrameDecoder(
                                  settings.maxFrameBytes(), settings.frameTimeout().toNanos()))
                          .addLast("responses", PbResponseEncoder.INSTANCE)
                          .addLast(
                              "connection",
                              new PbConnection(
                                  dispatcher,
                                  startTls,
                                  authenticator,
                                  settings.authTimeout(),
                                  settings.authFailureDelay()));
                    }
                  });
      Channel listener = b.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
      PbServer server = new PbServer(group, listener, authChecks);
      log.info("PB API of {} on {}:{}", nodeName, settings.host(), server.port());
      return server;
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (authChecks != null) {
        authChecks.shutdownNow();
      }
      throw new IllegalStateException(
          "cannot listen for PB on " + settings.host() + ":" + settings.port() + ": " + e, e);
    }
  }

  /**
   * Where RpbAuthReq passwords are checked (PBKDF2, ~100 ms each): two threads, so checks never
   * hold an event loop, and guessers on many connections share two cores at most. Each connection
   * has at most one check in flight (it serves one request at a time).
   */
  private static ExecutorService authExecutor(String nodeName) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "pb-auth-" + nodeName + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    if (authChecks != null) {
      authChecks.shutdownNow();
    }
  }
}
