package dev.partisan.runtime.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An emulated network path between every pair of nodes that share this object, for benchmarks on
 * machines without netem: a one-way delay and an optional bandwidth cap per direction of each node
 * pair. Every connection between the same two nodes (all channels and lanes) goes through the same
 * path, as real connections share one network path; the cap is shared fairly between them (deficit
 * round robin in {@link #QUANTUM_BYTES} slices), so one connection's bulk transfer does not hold up
 * another's small frames the way a single FIFO would.
 *
 * <p>Each connection may have at most {@code windowBytes} sent and not yet "acknowledged" (an
 * acknowledgement arrives one round trip after the bytes leave), which models a TCP window: one
 * connection alone carries at most {@code windowBytes} per round trip.
 *
 * <p>Inactive unless given to {@code RuntimeConfig.Builder.linkEmulator}; without it the transport
 * installs nothing and pays nothing. Only MESSAGE and ACK frames are emulated: the handshake runs
 * before the emulated path is attached.
 *
 * <p>Threading: path state (pending slices, round-robin order, the next free time of the link) is
 * guarded by this object's monitor. With a bandwidth cap one daemon thread, the pacer, hands slices
 * to connections at the capped rate; delivery to the socket happens on each connection's event
 * loop.
 */
public final class LinkEmulator implements AutoCloseable {
  /** The slice of one connection's bytes sent in one round-robin turn. */
  static final int QUANTUM_BYTES = 16 * 1024;

  /** How far ahead of real time the pacer hands out link time (fewer wake-ups, same rate). */
  static final long LOOKAHEAD_NANOS = 250_000;

  /**
   * Link time the pacer may make up after waking late while data waited (a token bucket's burst): a
   * descheduled pacer must not make the link slower than its cap.
   */
  static final long BURST_NANOS = 2_000_000;

  /** Linux's default maximum send buffer (net.ipv4.tcp_wmem): the default window. */
  public static final int DEFAULT_WINDOW_BYTES = 4 * 1024 * 1024;

  private final long oneWayDelayNanos;
  private final long bitsPerSecond;
  private final int windowBytes;
  private final Map<String, EmulatedPath> paths = new ConcurrentHashMap<>();
  private final Thread pacer;
  private volatile boolean closed;

  private LinkEmulator(Duration roundTrip, long bitsPerSecond, int windowBytes) {
    if (roundTrip.isNegative() || bitsPerSecond < 0 || windowBytes < QUANTUM_BYTES) {
      throw new IllegalArgumentException("bad link emulation settings");
    }
    this.oneWayDelayNanos = roundTrip.toNanos() / 2;
    this.bitsPerSecond = bitsPerSecond;
    this.windowBytes = windowBytes;
    this.pacer =
        bitsPerSecond == 0
            ? null
            : Thread.ofPlatform().daemon().name("partisan-link-emulator").start(this::pace);
  }

  /** A path with this round-trip time (half each way) and cap per direction ({@code 0}: no cap). */
  public static LinkEmulator of(Duration roundTrip, long bitsPerSecond) {
    return new LinkEmulator(roundTrip, bitsPerSecond, DEFAULT_WINDOW_BYTES);
  }

  /** As {@link #of}, with a per-connection window other than {@link #DEFAULT_WINDOW_BYTES}. */
  public static LinkEmulator of(Duration roundTrip, long bitsPerSecond, int windowBytes) {
    return new LinkEmulator(roundTrip, bitsPerSecond, windowBytes);
  }

  public Duration roundTrip() {
    return Duration.ofNanos(oneWayDelayNanos * 2);
  }

  public long bitsPerSecond() {
    return bitsPerSecond;
  }

  public int windowBytes() {
    return windowBytes;
  }

  long oneWayDelayNanos() {
    return oneWayDelayNanos;
  }

  /** The handler for one connection from {@code self} to {@code peer}. */
  EmulatedLinkHandler handler(String self, String peer) {
    EmulatedPath path = paths.computeIfAbsent(self + "->" + peer, k -> new EmulatedPath());
    return new EmulatedLinkHandler(this, path);
  }

  /**
   * The handler for one TCP connection carrying bytes from {@code from} to {@code to}, for a relay
   * outside the runtime ({@code bench link}, a TCP proxy): the same emulated path, window and fair
   * share as the runtime's own connections between nodes of those names. Add it first in the
   * channel's pipeline (next to the socket). At the window it turns the channel unwritable (a
   * user-defined writability bit): a relay that stops reading while its outbound channel is
   * unwritable keeps the bytes in flight bounded by the window.
   */
  public io.netty.channel.ChannelHandler connectionHandler(String from, String to) {
    return handler(from, to);
  }

  /** Bytes handed to each path so far ("node1->node2"), for benchmarks to report. */
  public Map<String, Long> bytesCarried() {
    Map<String, Long> m = new java.util.TreeMap<>();
    paths.forEach((k, p) -> m.put(k, p.bytes.get()));
    return m;
  }

  /** Under this monitor (the caller holds it): a closing connection leaves its path. */
  void forget(EmulatedLinkHandler h) {
    h.path.active.remove(h);
  }

  /** Link time for {@code bytes}, in nanoseconds, at the capped rate. */
  private long transmitNanos(int bytes) {
    return (long) (bytes * 8e9 / bitsPerSecond);
  }

  /** Called on an event loop: queues a frame for the path (capped) or straight for delay. */
  void offer(EmulatedLinkHandler h, Pending p) {
    h.path.bytes.addAndGet(p.buf().readableBytes());
    if (pacer == null) {
      h.propagate(p.arrivedNanos() + oneWayDelayNanos, p.buf(), p.promise());
      return;
    }
    boolean wake;
    synchronized (this) {
      EmulatedPath path = h.path;
      wake = path.active.isEmpty();
      if (h.pending.isEmpty()) {
        path.active.addLast(h);
      }
      h.pending.addLast(p);
    }
    if (wake) {
      LockSupport.unpark(pacer);
    }
  }

  /** The pacer thread: hands each path's link time, slice by slice, round robin. */
  private void pace() {
    List<Slice> out = new ArrayList<>();
    while (!closed) {
      long now = System.nanoTime();
      long wake = Long.MAX_VALUE;
      synchronized (this) {
        for (EmulatedPath path : paths.values()) {
          while (!path.active.isEmpty() && path.nextFreeNanos <= now + LOOKAHEAD_NANOS) {
            EmulatedLinkHandler h = path.active.pollFirst();
            if (h.closed) {
              h.releasePending();
              continue;
            }
            Pending p = h.pending.peekFirst();
            int n = Math.min(QUANTUM_BYTES, p.buf().readableBytes());
            Slice s;
            if (n == p.buf().readableBytes()) {
              h.pending.pollFirst();
              s = new Slice(h, p.buf(), p.promise());
            } else {
              s = new Slice(h, p.buf().readRetainedSlice(n), null);
            }
            // Never before the frame reached the link: catching up must not deliver early.
            long start =
                Math.max(Math.max(now - BURST_NANOS, p.arrivedNanos()), path.nextFreeNanos);
            path.nextFreeNanos = start + transmitNanos(n);
            s.due = path.nextFreeNanos + oneWayDelayNanos;
            out.add(s);
            if (!h.pending.isEmpty()) {
              path.active.addLast(h);
            }
          }
          if (!path.active.isEmpty()) {
            wake = Math.min(wake, path.nextFreeNanos - LOOKAHEAD_NANOS / 2);
          }
        }
      }
      for (Slice s : out) {
        s.handler.propagate(s.due, s.buf, s.promise);
      }
      out.clear();
      if (wake == Long.MAX_VALUE) {
        LockSupport.park(this); // idle until a frame arrives (offer unparks)
      } else if (wake > now) {
        LockSupport.parkNanos(this, wake - now);
      }
    }
  }

  /** Stops the pacer. Connections still open keep whatever they hold until they close. */
  @Override
  public void close() {
    closed = true;
    if (pacer != null) {
      LockSupport.unpark(pacer);
      try {
        pacer.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One direction of a node pair: when the link is next free, and who waits for it. */
  static final class EmulatedPath {
    // Guarded by the emulator's monitor.
    long nextFreeNanos;
    final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.ArrayDeque<EmulatedLinkHandler> active = new java.util.ArrayDeque<>();
  }

  /** A frame accepted from the runtime, not yet sent over the emulated link. */
  record Pending(
      io.netty.buffer.ByteBuf buf, io.netty.channel.ChannelPromise promise, long arrivedNanos) {}

  /** A slice given link time by the pacer, to reach the socket at {@code due}. */
  private static final class Slice {
    final EmulatedLinkHandler handler;
    final io.netty.buffer.ByteBuf buf;
    final io.netty.channel.ChannelPromise promise;
    long due;

    Slice(
        EmulatedLinkHandler handler,
        io.netty.buffer.ByteBuf buf,
        io.netty.channel.ChannelPromise promise) {
      this.handler = handler;
      this.buf = buf;
      this.promise = promise;
    }
  }
}
