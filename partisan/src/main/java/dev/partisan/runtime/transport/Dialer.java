package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens connections: the listening socket, dials for links (redialed with backoff while the link
 * has something to send), and probes of addresses whose node is not known yet (retried a few times
 * unless the peer refused). Every new connection starts with TLS (when the node has it), the frame
 * decoder and a handshake.
 *
 * <p>Threading: no mutable state of its own. A link's dial state is guarded by the link; connect
 * and handshake completions run on event loops, retries on the group's timers.
 */
final class Dialer {
  private static final int PROBE_ATTEMPTS = 5;

  private final Transport transport;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final NettyTransports.Kind kind;
  private final ByteBufAllocator alloc;
  private final ClusterTls tls; // null: plaintext

  Dialer(
      Transport transport,
      TransportSettings settings,
      EventLoopGroup group,
      NettyTransports.Kind kind,
      ByteBufAllocator alloc) {
    this.transport = transport;
    this.settings = settings;
    this.group = group;
    this.kind = kind;
    this.alloc = alloc;
    this.tls = settings.tls() == null ? null : new ClusterTls(settings.tls());
  }

  /**
   * Binds the listening socket. An accepted connection starts with the {@link TlsDetector} (which
   * becomes TLS or steps aside), then the frame decoder and the acceptor's handshake.
   */
  /**
   * How much one read may take from a socket: Netty's adaptive guess (it grows while reads fill the
   * buffer and shrinks when they do not), up to 1 MiB instead of Netty's 64 KiB. A connection of
   * small messages keeps small buffers; one carrying 512 KiB messages reads each in a read or two
   * instead of eight or more (one recvfrom per 64 KiB in the echo profiles).
   */
  static final RecvByteBufAllocator RECEIVE_BUFFERS =
      new AdaptiveRecvByteBufAllocator(64, 2048, 1024 * 1024);

  Channel bind(String host, int port) throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, alloc)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    transport.track(ch);
                    ch.pipeline()
                        .addLast("tls-detector", new TlsDetector(tls))
                        .addLast("frames", MessageFrames.decoder(settings.maxFrameBytes()))
                        .addLast("handshake", HandshakeHandler.acceptor(transport));
                  }
                });
    return b.bind(host, port).sync().channel();
  }

  private static WriteBufferWaterMark waterMark() {
    return new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
  }

  /** Opens a connection for the link to {@code peer} unless one is up or being opened. */
  void dial(Link link, NodeId peer) {
    if (!link.beginDial(peer)) {
      return;
    }
    CompletableFuture<NodeId> established = new CompletableFuture<>();
    connect(
        peer.host(), peer.port(), link.key.channel(), link.key.lane(), peer.name(), established);
    established.whenComplete(
        (id, err) -> {
          if (err != null) {
            long delay =
                link.dialFailed(
                    settings.minReconnectBackoff().toMillis(),
                    settings.maxReconnectBackoff().toMillis());
            link.scheduleTimer(() -> transport.redialIfNeeded(link), delay);
          }
        });
  }

  private void connect(
      String host,
      int port,
      String channel,
      int lane,
      String expectedPeer,
      CompletableFuture<NodeId> established) {
    if (transport.isClosed()) {
      established.completeExceptionally(new ClosedChannelException());
      return;
    }
    // A dialer knows the channel: a bulk channel's connection starts on a bulk event loop.
    EventLoopGroup bulk = transport.bulkGroupFor(channel);
    Bootstrap b =
        new Bootstrap()
            .group(bulk != null ? bulk : group)
            .channel(kind.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, alloc)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .option(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.handshakeTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    transport.track(ch);
                    if (tls != null) {
                      ch.pipeline().addLast("tls", tls.dialerHandler(ch.alloc(), host, port));
                    }
                    ch.pipeline()
                        .addLast("frames", MessageFrames.decoder(settings.maxFrameBytes()))
                        .addLast(
                            "handshake",
                            HandshakeHandler.dialer(
                                transport, channel, lane, expectedPeer, established));
                  }
                });
    b.connect(host, port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                established.completeExceptionally(f.cause());
              }
            });
  }

  /**
   * Dials an address whose node name is not known yet (a seed), on the membership channel;
   * completes with the identity the peer proved in the handshake.
   */
  CompletableFuture<NodeId> probe(String host, int port) {
    CompletableFuture<NodeId> result = new CompletableFuture<>();
    probe(host, port, PROBE_ATTEMPTS, settings.minReconnectBackoff().toMillis(), result);
    return result;
  }

  /**
   * A probe can lose the tie-break to the peer's own dial towards us (it is reconnecting to an
   * earlier life of ours), time out on a busy machine, or find the peer still starting: those are
   * transient and retried a few times with backoff. A refusal (wrong secret, wrong cluster) is
   * final.
   */
  private void probe(
      String host, int port, int attemptsLeft, long backoffMillis, CompletableFuture<NodeId> out) {
    CompletableFuture<NodeId> established = new CompletableFuture<>();
    String channel = settings.baseline() ? ChannelSpec.DEFAULT : ChannelSpec.MEMBERSHIP;
    connect(host, port, channel, 0, "", established);
    established.whenComplete(
        (id, err) -> {
          if (err == null) {
            transport.learn(id);
            out.complete(id);
          } else if (attemptsLeft > 1 && !isRefusal(err)) {
            group
                .next()
                .schedule(
                    () -> probe(host, port, attemptsLeft - 1, backoffMillis * 2, out),
                    backoffMillis,
                    TimeUnit.MILLISECONDS);
          } else {
            out.completeExceptionally(err);
          }
        });
  }

  private static boolean isRefusal(Throwable err) {
    return err instanceof HandshakeException h && h.reason().isRefusal();
  }
}
