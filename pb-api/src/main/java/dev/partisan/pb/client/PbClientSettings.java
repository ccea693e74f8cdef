package dev.partisan.pb.client;

import dev.partisan.pb.PbSettings;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PbClient} connects.
 *
 * @param connectionsPerNode keep-alive connections to each node; requests are pipelined on each
 * @param eventLoopThreads the client's own event loop threads; 0: one per core
 * @param connectTimeout how long a connection attempt may take
 * @param requestTimeout how long a request may wait for its answer; past it, the connection is
 *     closed and every request on it fails (the answers' order is all that matches them, so a
 *     connection with a lost answer cannot be trusted)
 * @param maxFrameBytes the largest answer frame accepted
 * @param startTls null for plaintext; else every connection first sends RpbStartTls and switches to
 *     TLS with this client context (it verifies the node's certificate) before any request
 * @param credentials null, or the user and password every connection sends in RpbAuthReq once TLS
 *     is up (a node with security enabled), before any request; needs {@code startTls}
 */
public record PbClientSettings(
    int connectionsPerNode,
    int eventLoopThreads,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxFrameBytes,
    SslContext startTls,
    PbCredentials credentials) {
  public PbClientSettings {
    if (connectionsPerNode < 1) {
      throw new IllegalArgumentException("connectionsPerNode must be at least 1");
    }
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException("eventLoopThreads must be 0 (one per core) or more");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive");
    }
    if (startTls != null && !startTls.isClient()) {
      throw new IllegalArgumentException("startTls must be a client context");
    }
    if (credentials != null && startTls == null) {
      throw new IllegalArgumentException(
          "credentials are sent only over TLS: give withStartTls(...) too");
    }
  }

  /** Two connections per node, one loop per core, 5 s to connect, 60 s per request. */
  public static PbClientSettings defaults() {
    return new PbClientSettings(
        2,
        0,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        PbSettings.DEFAULT_MAX_FRAME_BYTES,
        null,
        null);
  }

  public PbClientSettings withConnectionsPerNode(int n) {
    return new PbClientSettings(
        n, eventLoopThreads, connectTimeout, requestTimeout, maxFrameBytes, startTls, credentials);
  }

  public PbClientSettings withEventLoopThreads(int n) {
    return new PbClientSettings(
        connectionsPerNode,
        n,
        connectTimeout,
        requestTimeout,
        maxFrameBytes,
        startTls,
        credentials);
  }

  public PbClientSettings withRequestTimeout(Duration t) {
    return new PbClientSettings(
        connectionsPerNode,
        eventLoopThreads,
        connectTimeout,
        t,
        maxFrameBytes,
        startTls,
        credentials);
  }

  /**
   * Every connection switches to TLS with RpbStartTls before its first request (for example with
   * {@code SslContextBuilder.forClient().trustManager(caFile).protocols("TLSv1.3").build()}, or
   * {@code TlsContexts.nettyClient} to present a client certificate too).
   */
  public PbClientSettings withStartTls(SslContext context) {
    return new PbClientSettings(
        connectionsPerNode,
        eventLoopThreads,
        connectTimeout,
        requestTimeout,
        maxFrameBytes,
        context,
        credentials);
  }

  /**
   * Every connection authenticates as {@code user} with RpbAuthReq after RpbStartTls (so {@link
   * #withStartTls} is needed too); {@code connect} fails if the node refuses.
   */
  public PbClientSettings withAuth(String user, String password) {
    return new PbClientSettings(
        connectionsPerNode,
        eventLoopThreads,
        connectTimeout,
        requestTimeout,
        maxFrameBytes,
        startTls,
        new PbCredentials(user, password));
  }
}
