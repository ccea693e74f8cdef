package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.SendResult;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.LaneSelector;
import dev.partisan.runtime.codec.CodecException;
import dev.partisan.runtime.codec.TypeRegistry;
import dev.partisan.runtime.transport.HandshakeException.Reason;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP between nodes: one listening socket, and one {@link Link} per (peer, wire channel, lane),
 * each carried by at most one authenticated connection at a time, used in both directions. The
 * links live in a {@link LinkTable}; a {@link Dialer} opens connections; {@link MessageFrames} is
 * the wire format. Connections of bulk channels run on their own event loop group.
 *
 * <p>Threading: any thread may send; the tables are concurrent and each link guards its own state.
 * Netty event loops run handshakes, decoding and draining; no code here blocks them. A connection
 * of a bulk channel runs on a bulk event loop once its handshake has named the channel.
 */
public final class Transport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /** How long close() waits for the event loops to close the sockets (only when overloaded). */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private volatile NodeId self; // port completed by bind(), before any peer knows it
  private final Cluster cluster;
  private final TransportSettings settings;
  private final TypeRegistry types;
  private final InboundSink sink;
  private final HandshakeAuth auth;
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final LinkTable table;
  private final Dialer dialer;
  private final EventLoopGroup bulkGroup; // null: no bulk event loops (baseline, or none given)
  private final Map<Reason, LongAdder> handshakeFailures = new EnumMap<>(Reason.class);
  private volatile BiConsumer<LinkKey, Integer> giveUpListener = (k, n) -> {};
  private Channel serverChannel;
  // Every socket of this node: the listening one, accepted and dialed connections (handshaking,
  // carrying a link, or about to be refused), so that close() closes them all, and waits for it.
  // A closed channel leaves the group by itself.
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile boolean closed;
  private final NettyTransports.Kind kind;

  public Transport(
      NodeId self,
      Cluster cluster,
      TransportSettings settings,
      TypeRegistry types,
      InboundSink sink,
      EventLoopGroup group,
      EventLoopGroup bulkGroup,
      NettyTransports.Kind kind) {
    this.self = self;
    this.cluster = cluster;
    this.settings = settings;
    this.types = types;
    this.sink = sink;
    this.auth = new HandshakeAuth(cluster.secret());
    this.table = new LinkTable(cluster.channels(), settings.baseline(), group);
    // Baseline mode is the "everything shared" reference: no classes, one group.
    this.bulkGroup = settings.baseline() ? null : bulkGroup;
    this.dialer = new Dialer(this, settings, group, kind, alloc);
    this.kind = kind;
    for (Reason r : Reason.values()) {
      handshakeFailures.put(r, new LongAdder()); // filled once: reads need no lock
    }
  }

  /**
   * The bulk event loops if {@code channel} is a bulk channel and the node has them, else null: its
   * connections then do all their I/O, decoding included, on that group (see {@link
   * HandshakeHandler} for how an accepted connection gets there).
   */
  EventLoopGroup bulkGroupFor(String channel) {
    if (bulkGroup == null) {
      return null;
    }
    ChannelSpec spec = cluster.channels().get(channel);
    return spec != null && spec.isBulk() ? bulkGroup : null;
  }

  /**
   * Binds the listening socket; returns the bound port (useful when configured as 0). Our identity
   * keeps the port it was created with (an advertised port, which may be a proxy's) unless that was
   * 0, which means "the port we are bound to".
   */
  public int bind(String host, int port) throws InterruptedException {
    serverChannel = dialer.bind(host, port);
    track(serverChannel);
    int bound = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    if (self.port() == 0) {
      self = new NodeId(self.name(), self.host(), bound, self.incarnation());
    }
    return bound;
  }

  public NodeId self() {
    return self;
  }

  Cluster cluster() {
    return cluster;
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
    if (!peer.sameNode(self)) {
      table.learn(peer);
    }
  }

  public NodeId address(String peer) {
    return table.address(peer);
  }

  /** The peer left for good: close its links and release what was queued for it. */
  public void forget(String peer) {
    table.forget(peer);
  }

  public void onGiveUp(BiConsumer<LinkKey, Integer> listener) {
    this.giveUpListener = listener;
  }

  /**
   * Encodes and queues a message for a peer on a channel; the envelope's partition key picks the
   * lane. Never blocks; the result says whether it was queued.
   */
  public SendResult send(String peer, ChannelSpec spec, Envelope envelope) {
    if (closed) {
      return SendResult.STOPPED;
    }
    if (!table.knows(peer)) {
      return SendResult.UNKNOWN_NODE;
    }
    Object message = envelope.body();
    if (!types.isRegistered(message.getClass())) {
      return SendResult.UNREGISTERED_TYPE;
    }
    Object key = envelope.partitionKey();
    int lane =
        key != null
            ? LaneSelector.lane(key, spec.parallelism())
            : LaneSelector.laneForPair(envelope.sender(), envelope.receiver(), spec.parallelism());
    Link link = table.link(table.wireKey(peer, spec, lane));
    boolean monotonic = spec.monotonic() && !settings.baseline();
    if (!monotonic && link.isFull()) {
      link.metrics.rejected.increment();
      return SendResult.QUEUE_FULL; // fail before paying for the encoding
    }
    OutboundMessage m;
    try {
      Object conflationKey = monotonic && envelope.conflatable() ? envelope.conflationKey() : null;
      m = MessageFrames.encode(alloc, types, spec, envelope, conflationKey);
    } catch (CodecException e) {
      log.warn(
          "cannot encode {} for {}: {}", message.getClass().getSimpleName(), peer, e.getMessage());
      return SendResult.UNREGISTERED_TYPE;
    }
    if (MessageFrames.exceeds(m, settings.maxFrameBytes())) {
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

  Link link(LinkKey key) {
    return table.link(key);
  }

  /** Opens a connection for the link unless one is up or being opened. */
  private void dial(Link link) {
    NodeId peer = table.address(link.key.peer());
    if (!closed && peer != null) {
      dialer.dial(link, peer);
    }
  }

  /** After a loss or failed dial: reconnect if anything is waiting to be sent. */
  void redialIfNeeded(Link link) {
    if (!closed && !link.isClosed() && !link.isConnected() && link.hasWork()) {
      dial(link);
    }
  }

  /**
   * Dials an address whose node name is not known yet (a seed): completes with the identity the
   * peer proved in the handshake, on the membership channel. Transient failures are retried; a
   * refusal fails it with a {@link HandshakeException} saying why.
   */
  public CompletableFuture<NodeId> probe(String host, int port) {
    return dialer.probe(host, port);
  }

  /**
   * Registers a new socket of this node, to be closed with it; one opened after close (a dial that
   * was already under way) is closed at once.
   */
  /** The sockets its connections use (those of its event loops). */
  public NettyTransports.Kind socketKind() {
    return kind;
  }

  void track(Channel ch) {
    channels.add(ch);
    if (closed) {
      ch.close();
    }
  }

  boolean isClosed() {
    return closed;
  }

  boolean admitInbound(Channel ch, NodeId peer, String channel, int lane) {
    if (closed) {
      return false;
    }
    learn(peer);
    Link link = table.link(new LinkKey(peer.name(), channel, lane));
    return link.tryAttach(ch, peer, false, self.name().compareTo(peer.name()) < 0);
  }

  boolean admitOutbound(Channel ch, NodeId peer, String channel, int lane) {
    if (closed) {
      return false;
    }
    Link link = table.link(new LinkKey(peer.name(), channel, lane));
    boolean attached = link.tryAttach(ch, peer, true, self.name().compareTo(peer.name()) < 0);
    if (!attached) {
      link.dialFinished();
    }
    return attached;
  }

  LinkTable.ReceiveState receiveState(NodeId peer, String channel, int lane) {
    return table.receiveState(peer, channel, lane);
  }

  /** A handshake on either side failed: counted per reason. */
  void handshakeFailed(Reason reason) {
    handshakeFailures.get(reason).increment();
  }

  /** How many handshakes, dialed or accepted, failed for {@code reason} since start. */
  public long handshakeFailures(Reason reason) {
    return handshakeFailures.get(reason).sum();
  }

  /** Drops acknowledged messages that waited longer than the ack timeout; reports them. */
  public void expireUnacked() {
    table.expireUnacked(settings.ackTimeout().toNanos(), (k, n) -> giveUpListener.accept(k, n));
  }

  /**
   * Closes connections that carried nothing for {@code idleNanos}, except to peers in {@code keep}
   * (overlay neighbours, which heartbeats keep busy anyway). Overlays that talk to non-neighbours
   * now and then (HyParView shuffles and promotions) would otherwise accumulate sockets; a closed
   * link reconnects on its next send.
   */
  public void closeIdle(long idleNanos, Set<String> keep) {
    table.closeIdle(idleNanos, keep);
  }

  public List<LaneMetrics.Snapshot> metrics() {
    return table.metrics();
  }

  /** Number of live connections to a peer (all channels and lanes). */
  public int connectionCount(String peer) {
    return table.connectionCount(peer);
  }

  /** Closes every connection to a peer without forgetting it: they reconnect on demand. */
  public void disconnect(String peer) {
    table.disconnect(peer);
  }

  /**
   * Closes every socket of this node at once — the listening socket, every link's connection, and
   * connections still in their handshake — and waits (bounded) until they are closed: when this
   * returns, the port can be bound again and the process holds no descriptor for them; peers see
   * the connections end. Queued messages are released.
   */
  @Override
  public void close() {
    closed = true;
    table.closeAll();
    if (!channels.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      log.warn(
          "{}: sockets still closing after {} ms (event loops busy)",
          self.name(),
          CLOSE_WAIT_MILLIS);
    }
  }
}
