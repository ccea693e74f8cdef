package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP between nodes: one listening socket, and one {@link Link} per (peer, wire channel, lane),
 * each carried by at most one authenticated connection at a time, used in both directions.
 *
 * <p>Threading: the link and address tables are concurrent maps written by any thread; each link
 * guards its own state. Netty event loops run handshakes, decoding and draining; no code here
 * blocks them.
 */
public final class Transport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  private volatile NodeId self; // port completed by bind(), before any peer knows it
  private final TransportSettings settings;
  private final TypeRegistry types;
  private final InboundSink sink;
  private final EventLoopGroup group;
  private final NettyTransports.Kind kind;
  private final HandshakeAuth auth;
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final Map<LinkKey, Link> links = new ConcurrentHashMap<>();
  private final Map<String, NodeId> addresses = new ConcurrentHashMap<>();
  private final Map<ReceiveKey, ReceiveState> receiveStates = new ConcurrentHashMap<>();
  private final ChannelSpec baselineSpec;
  private volatile BiConsumer<LinkKey, Integer> giveUpListener = (k, n) -> {};
  private Channel serverChannel;
  private volatile boolean closed;

  public Transport(
      NodeId self,
      TransportSettings settings,
      TypeRegistry types,
      InboundSink sink,
      EventLoopGroup group,
      NettyTransports.Kind kind) {
    this.self = self;
    this.settings = settings;
    this.types = types;
    this.sink = sink;
    this.group = group;
    this.kind = kind;
    this.auth = new HandshakeAuth(settings.clusterSecret());
    ChannelSpec def = settings.channels().get(ChannelSpec.DEFAULT);
    this.baselineSpec =
        new ChannelSpec(ChannelSpec.DEFAULT, 1, false, false, def.maxQueuedBytes(), false);
  }

  /** Binds the listening socket; returns the bound port (useful when configured as 0). */
  public int bind(String host, int port) throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(kind.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, alloc)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("frames", frameDecoder())
                        .addLast("handshake", HandshakeHandler.acceptor(Transport.this));
                  }
                });
    serverChannel = b.bind(host, port).sync().channel();
    int bound = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    self = new NodeId(self.name(), self.host(), bound, self.incarnation());
    return bound;
  }

  private static WriteBufferWaterMark waterMark() {
    return new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
  }

  private LengthFieldBasedFrameDecoder frameDecoder() {
    // Longer frames raise TooLongFrameException: the handler logs it and closes the connection.
    return new LengthFieldBasedFrameDecoder(settings.maxFrameBytes() + 4, 0, 4, 0, 4, true);
  }

  public NodeId self() {
    return self;
  }

  TransportSettings settings() {
    return settings;
  }

  HandshakeAuth auth() {
    return auth;
  }

  TypeRegistry types() {
    return types;
  }

  InboundSink sink() {
    return sink;
  }

  /** Records where a peer listens (from membership). A newer incarnation replaces an older. */
  public void learn(NodeId peer) {
    if (peer.sameNode(self)) {
      return;
    }
    addresses.merge(peer.name(), peer, (a, b) -> b.incarnation() >= a.incarnation() ? b : a);
  }

  public NodeId address(String peer) {
    return addresses.get(peer);
  }

  /** The peer left for good: close its links and release what was queued for it. */
  public void forget(String peer) {
    addresses.remove(peer);
    links
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().peer().equals(peer)) {
                e.getValue().close();
                return true;
              }
              return false;
            });
    receiveStates.keySet().removeIf(k -> k.peer().equals(peer));
  }

  public void onGiveUp(BiConsumer<LinkKey, Integer> listener) {
    this.giveUpListener = listener;
  }

  /** The wire (channel, lane) a logical (channel, lane) travels on. */
  private LinkKey wireKey(String peer, ChannelSpec spec, int lane) {
    return settings.baseline()
        ? new LinkKey(peer, ChannelSpec.DEFAULT, 0)
        : new LinkKey(peer, spec.name(), lane);
  }

  /**
   * Encodes and queues a message for a peer. Never blocks; the result says whether it was queued.
   *
   * @param conflationKey for monotonic channels: the key whose older queued message is replaced
   */
  public SendResult send(
      String peer,
      ChannelSpec spec,
      int lane,
      String sender,
      String receiver,
      long receiverIncarnation,
      Object message,
      Object conflationKey) {
    return send(
        peer, spec, lane, sender, "", 0, receiver, receiverIncarnation, message, conflationKey);
  }

  /**
   * As {@link #send(String, ChannelSpec, int, String, String, long, Object, Object)}, with the
   * sending actor on {@code senderNode} ({@code ""}: on this node), so replies go there.
   */
  public SendResult send(
      String peer,
      ChannelSpec spec,
      int lane,
      String sender,
      String senderNode,
      long senderIncarnation,
      String receiver,
      long receiverIncarnation,
      Object message,
      Object conflationKey) {
    if (closed) {
      return SendResult.STOPPED;
    }
    if (!addresses.containsKey(peer) && !hasLiveLinkTo(peer)) {
      return SendResult.UNKNOWN_NODE;
    }
    if (!types.isRegistered(message.getClass())) {
      return SendResult.UNREGISTERED_TYPE;
    }
    LinkKey key = wireKey(peer, spec, lane);
    boolean monotonic = spec.monotonic() && !settings.baseline();
    Link link = link(key);
    if (!monotonic && link.isFull()) {
      link.metrics.rejected.increment();
      return SendResult.QUEUE_FULL; // fail before paying for the encoding
    }
    OutboundMessage m;
    try {
      m =
          MessageFrames.encode(
              alloc,
              types,
              spec.name(),
              sender,
              senderNode,
              senderIncarnation,
              receiver,
              receiverIncarnation,
              message,
              spec.ack(),
              spec.compression(),
              monotonic ? conflationKey : null);
    } catch (CodecException e) {
      log.warn(
          "cannot encode {} for {}: {}", message.getClass().getSimpleName(), peer, e.getMessage());
      return SendResult.UNREGISTERED_TYPE;
    }
    if (m.size - 4 > settings.maxFrameBytes()) {
      m.release();
      return SendResult.TOO_LARGE;
    }
    SendResult r = link.offer(m);
    if (r.accepted()) {
      if (link.isConnected()) {
        link.scheduleDrain();
      } else {
        dial(link);
      }
    }
    return r;
  }

  private boolean hasLiveLinkTo(String peer) {
    for (LinkKey k : links.keySet()) {
      if (k.peer().equals(peer)) {
        return true;
      }
    }
    return false;
  }

  Link link(LinkKey key) {
    return links.computeIfAbsent(key, this::newLink);
  }

  private Link newLink(LinkKey key) {
    ChannelSpec spec = settings.baseline() ? baselineSpec : settings.channels().get(key.channel());
    if (spec == null) {
      spec = baselineSpec;
    }
    return new Link(key, spec.monotonic(), spec.maxQueuedBytes(), group.next().next());
  }

  /** Opens a connection for the link unless one is up or being opened. */
  private void dial(Link link) {
    NodeId peer = addresses.get(link.key.peer());
    if (closed || peer == null || !link.beginDial(peer)) {
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
            link.scheduleTimer(() -> redialIfNeeded(link), delay);
          }
        });
  }

  /** After a loss or failed dial: reconnect if anything is waiting to be sent. */
  void redialIfNeeded(Link link) {
    if (!closed && !link.isClosed() && !link.isConnected() && link.hasWork()) {
      dial(link);
    }
  }

  private void connect(
      String host,
      int port,
      String channel,
      int lane,
      String expectedPeer,
      CompletableFuture<NodeId> established) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(kind.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, alloc)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.handshakeTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("frames", frameDecoder())
                        .addLast(
                            "handshake",
                            HandshakeHandler.dialer(
                                Transport.this, channel, lane, expectedPeer, established));
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
   * Dials an address whose node name is not known yet (a seed): completes with the identity the
   * peer proved in the handshake, on the membership channel.
   */
  public CompletableFuture<NodeId> probe(String host, int port) {
    CompletableFuture<NodeId> result = new CompletableFuture<>();
    probe(host, port, 5, settings.minReconnectBackoff().toMillis(), result);
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
            learn(id);
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
    String m = String.valueOf(err.getMessage());
    return m.contains("authentication")
        || m.contains("wrong cluster")
        || m.contains("protocol")
        || m.contains("this is ")
        || m.contains("expected ");
  }

  /** Validates a HELLO; returns the reason to reject it, or null. */
  String validateHello(Handshake.Hello h) {
    if (h.version() != TransportSettings.PROTOCOL_VERSION) {
      return "protocol version "
          + h.version()
          + " unsupported (need "
          + TransportSettings.PROTOCOL_VERSION
          + ")";
    }
    if (!settings.clusterName().equals(h.cluster())) {
      return "wrong cluster '" + h.cluster() + "'";
    }
    if (!h.expectedPeer().isEmpty() && !h.expectedPeer().equals(self.name())) {
      return "this is " + self.name() + ", not " + h.expectedPeer();
    }
    if (h.node().sameNode(self)) {
      return "peer claims our own name " + self.name();
    }
    if (!settings.channels().containsKey(h.channel())) {
      return "unknown channel '" + h.channel() + "'";
    }
    if (h.lane() < 0 || h.lane() >= ChannelSpec.MAX_PARALLELISM) {
      return "lane " + h.lane() + " out of range";
    }
    return null;
  }

  boolean admitInbound(Channel ch, NodeId peer, String channel, int lane) {
    if (closed) {
      return false;
    }
    learn(peer);
    Link link = link(new LinkKey(peer.name(), channel, lane));
    return link.tryAttach(ch, peer, false, self.name().compareTo(peer.name()) < 0);
  }

  boolean admitOutbound(Channel ch, NodeId peer, String channel, int lane) {
    if (closed) {
      return false;
    }
    Link link = link(new LinkKey(peer.name(), channel, lane));
    boolean attached = link.tryAttach(ch, peer, true, self.name().compareTo(peer.name()) < 0);
    if (!attached) {
      link.dialFinished();
    }
    return attached;
  }

  ReceiveState receiveState(NodeId peer, String channel, int lane) {
    return receiveStates.computeIfAbsent(
        new ReceiveKey(peer.name(), peer.incarnation(), channel, lane), k -> new ReceiveState());
  }

  /** Drops acknowledged messages that waited longer than the ack timeout; reports them. */
  public void expireUnacked() {
    long timeout = settings.ackTimeout().toNanos();
    for (Link link : links.values()) {
      link.expireUnacked(timeout, n -> giveUpListener.accept(link.key, n));
    }
  }

  /**
   * Closes connections that carried nothing for {@code idleNanos}, except to peers in {@code keep}
   * (overlay neighbours, which heartbeats keep busy anyway). Overlays that talk to non-neighbours
   * now and then (HyParView shuffles and promotions) would otherwise accumulate sockets; a closed
   * link reconnects on its next send.
   */
  public void closeIdle(long idleNanos, java.util.Set<String> keep) {
    long now = System.nanoTime();
    for (Link link : links.values()) {
      if (!keep.contains(link.key.peer()) && link.idleSince(now) > idleNanos) {
        Channel ch = link.current();
        if (ch != null && !link.hasWork()) {
          ch.close();
        }
      }
    }
  }

  public List<LaneMetrics.Snapshot> metrics() {
    List<LaneMetrics.Snapshot> out = new ArrayList<>();
    for (Link link : links.values()) {
      out.add(link.metrics.snapshot(link.key.peer(), link.key.channel(), link.key.lane()));
    }
    return out;
  }

  /** Number of live connections to a peer (all channels and lanes). */
  public int connectionCount(String peer) {
    int n = 0;
    for (Link link : links.values()) {
      if (link.key.peer().equals(peer) && link.isConnected()) {
        n++;
      }
    }
    return n;
  }

  /** Closes every connection to a peer without forgetting it: they reconnect on demand. */
  public void disconnect(String peer) {
    for (Link link : links.values()) {
      if (link.key.peer().equals(peer)) {
        Channel ch = link.current();
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    for (Link link : links.values()) {
      link.close();
    }
    links.clear();
  }

  record ReceiveKey(String peer, long incarnation, String channel, int lane) {}

  /** Receiver-side de-duplication state of one sender life on one link. */
  static final class ReceiveState {
    volatile long highestDelivered;
  }
}
