package dev.partisan.pb;

import java.time.Duration;

/**
 * The PB server's settings.
 *
 * @param host listen address
 * @param port listen port (0 picks a free one)
 * @param maxFrameBytes largest frame accepted (length prefix excluded); a longer one is answered
 *     with an error and the connection closes
 * @param eventLoopThreads threads serving PB connections (0: one per core)
 * @param frameTimeout how long a frame that has started arriving may take to complete before the
 *     connection is closed (a slow or stalled client); idle time between frames is not limited
 * @param authTimeout while security is enabled, how long a connection may stay without a successful
 *     RpbAuthReq before it is closed
 * @param authFailureDelay how long the answer to a failed RpbAuthReq is held back (slows password
 *     guessing; the event loop is not blocked)
 */
public record PbSettings(
    String host,
    int port,
    int maxFrameBytes,
    int eventLoopThreads,
    Duration frameTimeout,
    Duration authTimeout,
    Duration authFailureDelay) {
  /** Riak's PB port. */
  public static final int DEFAULT_PORT = 8087;

  /**
   * 64 MiB: above the largest value a client may write (kv.max_value_bytes, 50 MiB by default, as
   * Riak's own object limit) plus its metadata, and small enough that one bad length prefix cannot
   * make the node buffer gigabytes.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /** 60 s: a 64 MiB frame still arrives at ~1 MB/s; a client that stalls mid-frame is let go. */
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(60);

  /** 30 s to start TLS and authenticate, ample for any client. */
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(30);

  /** 1 s per failed attempt (Riak waits 5 s); a client also gets at most three attempts. */
  public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofSeconds(1);

  public PbSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("pb port must be 0..65535: " + port);
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("pb max frame bytes must be >= 1024: " + maxFrameBytes);
    }
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException("pb event loop threads must be >= 0: " + eventLoopThreads);
    }
    positive("pb frame timeout", frameTimeout);
    positive("pb auth timeout", authTimeout);
    if (authFailureDelay == null || authFailureDelay.isNegative()) {
      throw new IllegalArgumentException("pb auth failure delay must be >= 0: " + authFailureDelay);
    }
  }

  /** The default timeouts and failure delay. */
  public PbSettings(String host, int port, int maxFrameBytes, int eventLoopThreads) {
    this(
        host,
        port,
        maxFrameBytes,
        eventLoopThreads,
        DEFAULT_FRAME_TIMEOUT,
        DEFAULT_AUTH_TIMEOUT,
        DEFAULT_AUTH_FAILURE_DELAY);
  }

  /** These settings with other timeouts and failure delay. */
  public PbSettings withTimeouts(
      Duration frameTimeout, Duration authTimeout, Duration authFailureDelay) {
    return new PbSettings(
        host, port, maxFrameBytes, eventLoopThreads, frameTimeout, authTimeout, authFailureDelay);
  }

  private static void positive(String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be > 0: " + d);
    }
  }
}
