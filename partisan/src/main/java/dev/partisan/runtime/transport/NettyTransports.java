package dev.partisan.runtime.transport;

import dev.partisan.runtime.channel.TrafficClass;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket implementations a node can run on, and which one it runs: {@code auto} (the default)
 * picks epoll where its native library loads and NIO elsewhere; {@code io_uring}, {@code epoll} and
 * {@code nio} ask for one, falling back to epoll-else-NIO with a logged reason where the one asked
 * for does not load. The choice is the runtime setting {@code transport}. The system property
 * {@value #PROPERTY} changes what {@code auto} means in its JVM, so that a test run or a tool can
 * put every node, and every group made with {@link #detect()}, on one kind without a code change.
 */
public final class NettyTransports {
  private NettyTransports() {}

  /** The system property {@link #detect()} reads: one of {@link #CHOICES}. */
  public static final String PROPERTY = "partisan.transport";

  public static final String AUTO = "auto";

  /**
   * The system property naming how long, in microseconds, a latency-class event loop polls before
   * it blocks when idle ({@link SpinThenBlock}); unset or 0: it blocks at once (Netty's default).
   * For request-reply traffic on otherwise idle cores; each spinning loop keeps a core busy.
   */
  public static final String SPIN_PROPERTY = "partisan.eventLoopSpinMicros";

  /** The values of the setting {@code transport}. */
  public static final List<String> CHOICES = List.of(AUTO, "io_uring", "epoll", "nio");

  private static final Logger log = LoggerFactory.getLogger(NettyTransports.class);

  /** Choices whose fallback was logged already (shared by every node of the JVM): once each. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /**
   * Which socket implementation an event loop group runs, and how to make such a group.
   *
   * @param name as the setting {@code transport} spells it
   */
  public record Kind(
      String name,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      Class<? extends IoHandler> ioHandler,
      Function<SelectStrategyFactory, IoHandlerFactory> ioHandlers) {

    /** A group of {@code threads} event loops, its threads named {@code name-..}. */
    public EventLoopGroup newGroup(int threads, String name) {
      return newGroup(threads, name, TrafficClass.LATENCY);
    }

    /**
     * A group whose threads run at the {@linkplain TrafficClass#threadPriority() priority} of
     * {@code cls}.
     */
    public EventLoopGroup newGroup(int threads, String name, TrafficClass cls) {
      long spinNanos = cls == TrafficClass.LATENCY ? spinNanosFromProperty() : 0;
      return newGroup(threads, name, cls, spinNanos);
    }

    /**
     * A group whose idle loops poll for {@code spinNanos} before they block ({@link SpinThenBlock};
     * 0: they block at once). io_uring has no such wait: it ignores the spin.
     */
    public EventLoopGroup newGroup(int threads, String name, TrafficClass cls, long spinNanos) {
      return new MultiThreadIoEventLoopGroup(
          threads,
          new DefaultThreadFactory(name, true, cls.threadPriority()),
          ioHandlers.apply(SpinThenBlock.factory(spinNanos)));
    }
  }

  /** Java's NIO sockets: everywhere. */
  public static final Kind NIO =
      new Kind(
          "nio",
          NioServerSocketChannel.class,
          NioSocketChannel.class,
          NioIoHandler.class,
          spin -> NioIoHandler.newFactory(SelectorProvider.provider(), spin));

  /** Linux's epoll: where the native library loads ({@link Epoll#isAvailable()}). */
  public static final Kind EPOLL =
      new Kind(
          "epoll",
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollIoHandler.class,
          spin -> EpollIoHandler.newFactory(0, spin));

  /**
   * Linux's io_uring: where the native library loads and the kernel allows it ({@link
   * IoUring#isAvailable()}). An event loop submits the reads and writes queued in one turn, of all
   * its sockets, in one {@code io_uring_enter}.
   */
  public static final Kind IO_URING =
      new Kind(
          "io_uring",
          IoUringServerSocketChannel.class,
          IoUringSocketChannel.class,
          IoUringIoHandler.class,
          spin -> IoUringIoHandler.newFactory());

  /** What {@code auto} means here: see {@link #select(String)}. */
  public static Kind detect() {
    return select(AUTO);
  }

  /**
   * The kind {@code choice} names (one of {@link #CHOICES}), or epoll else NIO where it does not
   * load (logged once per choice, with the reason). {@code auto} is the system property {@value
   * #PROPERTY}'s choice where it is set, else epoll where it loads, else NIO.
   *
   * @throws IllegalArgumentException for a name not among {@link #CHOICES}
   */
  public static Kind select(String choice) {
    return switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case AUTO -> {
        String property = System.getProperty(PROPERTY, AUTO);
        yield property.trim().equalsIgnoreCase(AUTO) ? nativeDefault() : select(property);
      }
      case "nio" -> NIO;
      case "epoll" -> Epoll.isAvailable() ? EPOLL : fallBack("epoll", Epoll.unavailabilityCause());
      case "io_uring", "io-uring", "iouring" ->
          IoUring.isAvailable() ? IO_URING : fallBack("io_uring", IoUring.unavailabilityCause());
      default ->
          throw new IllegalArgumentException(
              "unknown transport '" + choice + "'; one of " + CHOICES);
    };
  }

  /** The spin of {@link #SPIN_PROPERTY} in nanoseconds; 0 when unset, invalid or negative. */
  public static long spinNanosFromProperty() {
    String micros = System.getProperty(SPIN_PROPERTY, "0").trim();
    try {
      return Math.max(0, Long.parseLong(micros)) * 1_000;
    } catch (NumberFormatException e) {
      log.warn("ignoring {}={}: not a number of microseconds", SPIN_PROPERTY, micros);
      return 0;
    }
  }

  private static Kind nativeDefault() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  private static Kind fallBack(String asked, Throwable cause) {
    Kind instead = nativeDefault();
    if (WARNED.add(asked)) {
      log.warn(
          "transport {} asked for but unavailable here ({}); using {}",
          asked,
          cause == null ? "no reason given" : cause.toString(),
          instead.name());
    }
    return instead;
  }

  /**
   * The kind of a group made elsewhere (a shared one), so that its channels match its event loops;
   * {@link #detect()} if it cannot tell.
   */
  public static Kind of(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io) {
      for (Kind k : List.of(IO_URING, EPOLL, NIO)) {
        if (io.isIoType(k.ioHandler())) {
          return k;
        }
      }
    }
    return detect();
  }

  public static EventLoopGroup newGroup(int threads, String name) {
    return detect().newGroup(threads, name);
  }

  /** A group for {@code cls}'s traffic; see {@link Kind#newGroup(int, String, TrafficClass)}. */
  public static EventLoopGroup newGroup(int threads, String name, TrafficClass cls) {
    return detect().newGroup(threads, name, cls);
  }
}
