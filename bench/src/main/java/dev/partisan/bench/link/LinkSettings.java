package dev.partisan.bench.link;

import dev.partisan.runtime.transport.LinkEmulator;
import java.time.Duration;

/**
 * What {@code bench link} emulates and where it relays: the parameters of the in-process {@link
 * LinkEmulator} (one-way delay per direction, a cap per direction shared by every connection, a
 * window per connection), plus the listening and target addresses.
 *
 * @param listenHost the address to accept on ({@code 127.0.0.1}: this machine only)
 * @param listenPort the port to accept on ({@code 0}: any free port, see {@link LinkProxy#port()})
 * @param targetHost where every accepted connection is forwarded
 * @param targetPort the target's port
 * @param oneWayDelay added to every byte in each direction: a round trip takes at least twice this
 * @param bitsPerSecond the cap per direction, shared fairly by all connections; {@code 0}: none
 * @param windowBytes bytes one connection may have in flight per direction (not yet acknowledged)
 */
public record LinkSettings(
    String listenHost,
    int listenPort,
    String targetHost,
    int targetPort,
    Duration oneWayDelay,
    long bitsPerSecond,
    int windowBytes) {

  /** The in-process emulator's smallest window: one pacing slice. */
  static final int MIN_WINDOW_BYTES = 16 * 1024;

  public LinkSettings {
    if (listenPort < 0 || listenPort > 65535 || targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("ports must be 1-65535 (listen: 0 for any free port)");
    }
    if (oneWayDelay.isNegative() || bitsPerSecond < 0) {
      throw new IllegalArgumentException("the delay and the cap cannot be negative");
    }
    if (windowBytes < MIN_WINDOW_BYTES) {
      throw new IllegalArgumentException("the window must be at least 16 KiB");
    }
  }

  /** No delay and no cap, the in-process emulator's default window: set what you need. */
  public static LinkSettings forward(String targetHost, int targetPort) {
    return new LinkSettings(
        "127.0.0.1",
        0,
        targetHost,
        targetPort,
        Duration.ZERO,
        0,
        LinkEmulator.DEFAULT_WINDOW_BYTES);
  }

  public LinkSettings withListen(String host, int port) {
    return new LinkSettings(
        host, port, targetHost, targetPort, oneWayDelay, bitsPerSecond, windowBytes);
  }

  public LinkSettings withDelay(Duration oneWay) {
    return new LinkSettings(
        listenHost, listenPort, targetHost, targetPort, oneWay, bitsPerSecond, windowBytes);
  }

  public LinkSettings withCap(long bitsPerSecond) {
    return new LinkSettings(
        listenHost, listenPort, targetHost, targetPort, oneWayDelay, bitsPerSecond, windowBytes);
  }

  public LinkSettings withWindow(int windowBytes) {
    return new LinkSettings(
        listenHost, listenPort, targetHost, targetPort, oneWayDelay, bitsPerSecond, windowBytes);
  }

  /**
   * The most one socket read takes in. A read in progress is handed on whole even when it fills the
   * window, so a connection may hold its window plus one read; an eighth of the window keeps that
   * overshoot small (the runtime's connections overshoot by one message in the same way).
   */
  int maxReadBytes() {
    return Math.min(64 * 1024, windowBytes / 8);
  }

  /** Read buffers of the proxy's sockets: at most {@link #maxReadBytes()}. */
  io.netty.channel.RecvByteBufAllocator readSizes() {
    int max = maxReadBytes();
    return new io.netty.channel.AdaptiveRecvByteBufAllocator(64, Math.min(2048, max), max);
  }

  /** The in-process emulator with these parameters (it takes the round trip: twice the delay). */
  LinkEmulator emulator() {
    return LinkEmulator.of(oneWayDelay.multipliedBy(2), bitsPerSecond, windowBytes);
  }

  String target() {
    return targetHost + ":" + targetPort;
  }

  /** One line for the console: what this link emulates. */
  String describe() {
    String cap = bitsPerSecond == 0 ? "no cap" : (bitsPerSecond / 1e6) + " Mbit/s per direction";
    return String.format(
        java.util.Locale.ROOT,
        "delay %.3f ms each way (RTT %.3f ms), %s, window %d KiB per connection",
        oneWayDelay.toNanos() / 1e6,
        oneWayDelay.toNanos() * 2 / 1e6,
        cap,
        windowBytes / 1024);
  }
}
