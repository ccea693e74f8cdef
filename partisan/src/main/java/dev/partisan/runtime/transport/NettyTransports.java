package dev.partisan.runtime.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Picks epoll where the native library loads, NIO elsewhere. */
public final class NettyTransports {
  private NettyTransports() {}

  /** Which socket implementation an event loop group runs. */
  public record Kind(
      Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {}

  public static Kind detect() {
    return Epoll.isAvailable()
        ? new Kind(EpollServerSocketChannel.class, EpollSocketChannel.class)
        : new Kind(NioServerSocketChannel.class, NioSocketChannel.class);
  }

  public static EventLoopGroup newGroup(int threads, String name) {
    var factory = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(
        threads, new io.netty.util.concurrent.DefaultThreadFactory(name, true), factory);
  }
}
