package dev.partisan.runtime;

import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.overlay.FailureDetection;
import dev.partisan.runtime.overlay.OverlaySettings;
import dev.partisan.runtime.overlay.Overlays;
import dev.partisan.runtime.tls.TlsMaterial;
import dev.partisan.runtime.tls.TlsSettings;
import dev.partisan.runtime.transport.LinkEmulator;
import dev.partisan.runtime.transport.NettyTransports;
import dev.partisan.runtime.transport.TransportSettings;
import dev.partisan.runtime.transport.TransportTls;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything a node needs to start, in groups: who it is (name, address, cluster), its channels,
 * and the settings of the transport, of failure detection, of its executors and of its overlay.
 * Build with {@link #builder(String)}; every setting has a default suitable for a local cluster,
 * except the cluster secret, whose default is random per builder (runtimes meant to form a cluster
 * must be given the same one). Immutable once built.
 *
 * @param host the address the node listens on (binds its server socket to)
 * @param port 0 picks a free port; read it back with {@link PartisanRuntime#self()}
 * @param advertiseHost the host peers are told to dial (the node's {@code NodeId}), null: {@code
 *     host}; differs when a proxy or NAT sits in front of the node, or when it listens on a
 *     wildcard address
 * @param advertisePort the port peers are told to dial, 0: the port the node is bound to
 * @param channels every channel by name, {@code default} and {@code membership} included
 */
public record RuntimeConfig(
    String nodeName,
    String host,
    int port,
    String advertiseHost,
    int advertisePort,
    String clusterName,
    byte[] clusterSecret,
    Map<String, ChannelSpec> channels,
    TransportSettings transport,
    FailureDetection failureDetection,
    ExecutorSettings executors,
    OverlaySettings overlay) {

  /** The host peers dial: the advertised one if set, else the listen host. */
  public String advertisedHost() {
    return advertiseHost == null ? host : advertiseHost;
  }

  public static Builder builder(String nodeName) {
    return new Builder(nodeName);
  }

  /**
   * A fresh random cluster secret: 32 bytes from {@link SecureRandom}, base64url without padding
   * (43 characters). Give the same one to every runtime of a cluster with {@link
   * Builder#clusterSecret(String)}.
   */
  public static String newClusterSecret() {
    byte[] key = new byte[32];
    SECURE_RANDOM.nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  private static final SecureRandom SECURE_RANDOM = new SecureRandom();

  /** Fluent construction with defaults. */
  public static final class Builder {
    private final String nodeName;
    private String host = "127.0.0.1";
    private int port = 0;
    private String advertiseHost;
    private int advertisePort;
    private String clusterName = "partisan";
    // No shared default: a builder not given a secret gets its own random one, so two runtimes
    // that were never told a common secret cannot talk to each other.
    private byte[] clusterSecret = newClusterSecret().getBytes(StandardCharsets.UTF_8);
    private OverlaySettings overlay = Overlays.defaults(Overlays.DEFAULT_KIND);
    // Carried across overlay kinds, as role(...) and staticPeers(...) may come before overlay(...).
    private String role = OverlaySettings.ClientServer.defaults().role();
    private List<String> staticPeers = List.of();
    private final List<ChannelSpec> channels = new ArrayList<>();
    private boolean baseline;
    private int maxFrameBytes = 64 * 1024 * 1024;
    private int mailboxCapacity = 10_000;
    private Duration heartbeatInterval = Duration.ofMillis(500);
    private Duration detectionTime = Duration.ofSeconds(3);
    private Duration gossipInterval = Duration.ofSeconds(1);
    private Duration newsBatchInterval = FailureDetection.DEFAULT_NEWS_BATCH;
    private Duration handshakeTimeout = Duration.ofSeconds(5);
    private Duration minReconnectBackoff = Duration.ofMillis(50);
    private Duration maxReconnectBackoff = Duration.ofSeconds(5);
    private Duration ackTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int eventLoopThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private EventLoopGroup sharedEventLoopGroup;
    private int bulkEventLoopThreads = 1;
    private EventLoopGroup sharedBulkEventLoopGroup;
    private ScheduledExecutorService sharedScheduler;
    private Executor actorExecutor;
    private LinkEmulator linkEmulator;
    private TransportTls transportTls;
    private String transport = NettyTransports.AUTO;
    private long eventLoopSpinMicros = NettyTransports.spinNanosFromProperty() / 1_000;

    private Builder(String nodeName) {
      this.nodeName = Objects.requireNonNull(nodeName);
    }

    public Builder host(String h) {
      host = h;
      return this;
    }

    /** 0 picks a free port; read it back with {@link PartisanRuntime#self()}. */
    public Builder port(int p) {
      port = p;
      return this;
    }

    /**
     * The address peers dial, when it is not the listen address: a node listening on 127.0.0.1:9001
     * behind a proxy on 127.0.0.1:19001 advertises the proxy; a node listening on 0.0.0.0
     * advertises its LAN address. It becomes the node's identity ({@code NodeId} host and port,
     * sent in the handshake and spread by the membership). {@code host} null: the listen host;
     * {@code port} 0: the bound port. Default: the listen address.
     */
    public Builder advertise(String host, int port) {
      if (host != null && host.isBlank()) {
        throw new IllegalArgumentException("advertised host must not be blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("advertised port out of range: " + port);
      }
      advertiseHost = host;
      advertisePort = port;
      return this;
    }

    public Builder clusterName(String c) {
      clusterName = c;
      return this;
    }

    /**
     * The HMAC key every member of the cluster shares (see {@link #newClusterSecret()}); without it
     * the builder uses a random secret of its own, which no other runtime knows.
     */
    public Builder clusterSecret(String s) {
      clusterSecret = s.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** One of {@link Overlays#kinds()}, with its default settings. */
    public Builder overlay(String kind) {
      overlay = carry(Overlays.defaults(kind));
      return this;
    }

    public Builder overlay(OverlaySettings settings) {
      overlay = settings;
      switch (settings) {
        case OverlaySettings.ClientServer c -> role = c.role();
        case OverlaySettings.Static s -> staticPeers = s.staticPeers();
        default -> {}
      }
      return this;
    }

    /** For client-server: {@code server} or {@code client}. */
    public Builder role(String r) {
      role = OverlaySettings.ClientServer.checkedRole(r);
      overlay = carry(overlay);
      return this;
    }

    /** For static: the {@code host:port} of each peer. */
    public Builder staticPeers(List<String> peers) {
      staticPeers = List.copyOf(peers);
      overlay = carry(overlay);
      return this;
    }

    private OverlaySettings carry(OverlaySettings s) {
      return switch (s) {
        case OverlaySettings.ClientServer c -> c.withRole(role);
        case OverlaySettings.Static st -> st.withStaticPeers(staticPeers);
        default -> s;
      };
    }

    public OverlaySettings overlaySettings() {
      return overlay;
    }

    /** Application channels declared so far (default and membership are added by build()). */
    public List<ChannelSpec> declaredChannels() {
      return List.copyOf(channels);
    }

    public int maxFrameBytes() {
      return maxFrameBytes;
    }

    public boolean baseline() {
      return baseline;
    }

    /** Declares an application channel (default and membership always exist). */
    public Builder channel(ChannelSpec spec) {
      channels.add(spec);
      return this;
    }

    /** One connection per peer for everything, as Distributed Erlang does. */
    public Builder baseline(boolean b) {
      baseline = b;
      return this;
    }

    public Builder maxFrameBytes(int b) {
      maxFrameBytes = b;
      return this;
    }

    public Builder mailboxCapacity(int c) {
      mailboxCapacity = c;
      return this;
    }

    public Builder heartbeatInterval(Duration d) {
      heartbeatInterval = d;
      return this;
    }

    public Builder detectionTime(Duration d) {
      detectionTime = d;
      return this;
    }

    public Builder gossipInterval(Duration d) {
      gossipInterval = d;
      return this;
    }

    /** The shortest time between two disseminations of membership news by one node (0: none). */
    public Builder newsBatchInterval(Duration d) {
      newsBatchInterval = d;
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      handshakeTimeout = d;
      return this;
    }

    public Builder reconnectBackoff(Duration min, Duration max) {
      minReconnectBackoff = min;
      maxReconnectBackoff = max;
      return this;
    }

    public Builder ackTimeout(Duration d) {
      ackTimeout = d;
      return this;
    }

    /** Connections to non-neighbours that carried nothing this long are closed. */
    public Builder idleTimeout(Duration d) {
      idleTimeout = d;
      return this;
    }

    public Builder eventLoopThreads(int n) {
      eventLoopThreads = n;
      return this;
    }

    /**
     * The sockets of the event loops the node makes: {@code auto} (epoll, else NIO), {@code
     * io_uring}, {@code epoll} or {@code nio}; one that does not load falls back to {@code auto}.
     */
    public Builder transport(String choice) {
      NettyTransports.select(choice); // an unknown name fails here, not at start
      transport = choice;
      return this;
    }

    /**
     * How long the node's latency event loops poll before they block when idle (0, the default
     * unless {@value NettyTransports#SPIN_PROPERTY} says otherwise: at once); see {@code
     * SpinThenBlock}.
     */
    public Builder eventLoopSpinMicros(long micros) {
      if (micros < 0) {
        throw new IllegalArgumentException("event loop spin must be >= 0 us: " + micros);
      }
      eventLoopSpinMicros = micros;
      return this;
    }

    /** Shares Netty event loops between in-process nodes (tests, benchmarks); not closed by us. */
    public Builder sharedEventLoopGroup(EventLoopGroup g) {
      sharedEventLoopGroup = g;
      return this;
    }

    /** Event loops of the bulk channels (default 1); none start if no channel is bulk. */
    public Builder bulkEventLoopThreads(int n) {
      bulkEventLoopThreads = n;
      return this;
    }

    /** Shares the bulk channels' event loops between in-process nodes; not closed by us. */
    public Builder sharedBulkEventLoopGroup(EventLoopGroup g) {
      sharedBulkEventLoopGroup = g;
      return this;
    }

    /**
     * Shares the timer thread between in-process nodes (scale tests run hundreds); not shut down by
     * the node. Timer tasks are short and never block.
     */
    public Builder sharedScheduler(ScheduledExecutorService s) {
      sharedScheduler = s;
      return this;
    }

    public Builder actorExecutor(Executor e) {
      actorExecutor = e;
      return this;
    }

    /**
     * Benchmarks only: send every connection to a peer through an emulated path (delay, bandwidth
     * cap, window) shared by all nodes given the same emulator. Off ({@code null}) by default.
     */
    public Builder linkEmulator(LinkEmulator e) {
      linkEmulator = e;
      return this;
    }

    /**
     * TLS 1.3 on every cluster connection (see {@link TransportTls}): the chain always verified
     * against the material's CA, client certificates as {@code clientAuth} says ({@code REQUIRE}:
     * mutual authentication), no host-name check, the provider chosen automatically. {@code null}
     * material: plaintext, the default. The handshake on the cluster secret still runs, inside TLS.
     */
    public Builder transportTls(TlsMaterial material, TlsSettings.ClientAuth clientAuth) {
      transportTls = material == null ? null : TransportTls.of(material, clientAuth);
      return this;
    }

    /** TLS on every cluster connection with every option given; {@code null}: plaintext. */
    public Builder transportTls(TransportTls tls) {
      transportTls = tls;
      return this;
    }

    public RuntimeConfig build() {
      Map<String, ChannelSpec> all = new LinkedHashMap<>();
      all.put(ChannelSpec.DEFAULT, ChannelSpec.named(ChannelSpec.DEFAULT));
      all.put(
          ChannelSpec.MEMBERSHIP, ChannelSpec.named(ChannelSpec.MEMBERSHIP).withMonotonic(true));
      for (ChannelSpec c : channels) {
        all.put(c.name(), c);
      }
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be >= 1024");
      }
      if (mailboxCapacity < 1) {
        throw new IllegalArgumentException("mailboxCapacity must be >= 1");
      }
      if (bulkEventLoopThreads < 1) {
        throw new IllegalArgumentException(
            "bulkEventLoopThreads must be >= 1: " + bulkEventLoopThreads);
      }
      return new RuntimeConfig(
          nodeName,
          host,
          port,
          advertiseHost,
          advertisePort,
          clusterName,
          clusterSecret,
          Map.copyOf(all),
          new TransportSettings(
              baseline,
              maxFrameBytes,
              handshakeTimeout,
              minReconnectBackoff,
              maxReconnectBackoff,
              ackTimeout,
              idleTimeout,
              linkEmulator,
              transportTls),
          new FailureDetection(heartbeatInterval, detectionTime, gossipInterval, newsBatchInterval),
          new ExecutorSettings(
              eventLoopThreads,
              sharedEventLoopGroup,
              bulkEventLoopThreads,
              sharedBulkEventLoopGroup,
              sharedScheduler,
              actorExecutor,
              mailboxCapacity,
              transport,
              eventLoopSpinMicros),
          overlay);
    }
  }
}
