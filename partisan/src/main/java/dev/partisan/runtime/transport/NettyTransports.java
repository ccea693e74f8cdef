package dev.partisan.runtime.transport;

import dev.partisan.runtime.channel.TrafficClass;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/** Picks epoll where the native library loads, NIO elsewhere. */
public final class NettyTransports {
  private NettyTransports() {}

  /** Which socket implementation an event loop group runs, and how to make such a group. */
  public record Kind(
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      Supplier<IoHandlerFactory> ioHandlers) {

    /** A group of {@code threads} event loops, its threads named {@code name-..}. */
    public EventLoopGroup newGroup(int threads, String name) {
      return newGroup(threads, name, TrafficClass.LATENCY);
    }

    /**
     * A group whose threads run at the {@linkplain TrafficClass#threadPriority() priority} of
     * {@code cls}.
     */
    public EventLoopGroup newGroup(int threads, String name, TrafficClass cls) {
      return new MultiThreadIoEventLoopGroup(
          threads, new DefaultThreadFactory(name, true, cls.threadPriority()), ioHandlers.get());
    }
  }

  /** Java's NIO sockets: everywhere. */
  public static final Kind NIO =
      new Kind(NioServerSocketChannel.class, NioSocketChannel.class, NioIoHandler::newFactory);

  /** Linux's epoll: where the native library loads ({@link Epoll#isAvailable()}). */
  public static final Kind EPOLL =
      new Kind(
          EpollServerSocketChannel.class, EpollSocketChannel.class, EpollIoHandler::newFactory);

  public static Kind detect() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  public static EventLoopGroup newGroup(int threads, String name) {
    return detect().newGroup(threads, name);
  }

  /** A group for {@code cls}'s traffic; see {@link Kind#newGroup(int, String, TrafficClass)}. */
  public static EventLoopGroup newGroup(int threads, String name, TrafficClass cls) {
    return detect().newGroup(threads, name, cls);
  }
}
