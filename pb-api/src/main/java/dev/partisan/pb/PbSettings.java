package dev.partisan.pb;

/**
 * The PB server's settings.
 *
 * @param host listen address
 * @param port listen port (0 picks a free one)
 * @param maxFrameBytes largest frame accepted (length prefix excluded); a longer one is answered
 *     with an error and the connection closes
 * @param eventLoopThreads threads serving PB connections (0: one per core)
 */
public record PbSettings(String host, int port, int maxFrameBytes, int eventLoopThreads) {
  /** Riak's PB port. */
  public static final int DEFAULT_PORT = 8087;

  /**
   * 64 MiB: above the largest value a client may write (kv.max_value_bytes, 50 MiB by default, as
   * Riak's own object limit) plus its metadata, and small enough that one bad length prefix cannot
   * make the node buffer gigabytes.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

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
  }
}
