package dev.partisan.runtime.transport;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.channel.ChannelSpec;
import dev.partisan.runtime.channel.LaneMetrics;
import dev.partisan.runtime.channel.TrafficClass;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The transport's tables: one {@link Link} per (peer, wire channel, lane), where each peer listens,
 * and the receive-side de-duplication state of each sender life. Also the operations that sweep
 * every link (expiry, idle close, metrics).
 *
 * <p>Threading: concurrent maps, written by any thread (senders, event loops, the membership actor,
 * the housekeeping timer); each link guards its own state.
 */
final class LinkTable {
  private final Map<LinkKey, Link> links = new ConcurrentHashMap<>();
  private final Map<String, NodeId> addresses = new ConcurrentHashMap<>();
  private final Map<ReceiveKey, ReceiveState> receiveStates = new ConcurrentHashMap<>();
  private final Map<String, ChannelSpec> channels;
  private final boolean baseline;
  private final ChannelSpec baselineSpec;
  private final EventLoopGroup group;

  LinkTable(Map<String, ChannelSpec> channels, boolean baseline, EventLoopGroup group) {
    this.channels = channels;
    this.baseline = baseline;
    this.group = group;
    ChannelSpec def = channels.get(ChannelSpec.DEFAULT);
    this.baselineSpec =
        new ChannelSpec(
            ChannelSpec.DEFAULT,
            1,
            false,
            false,
            def.maxQueuedBytes(),
            false,
            TrafficClass.LATENCY);
  }

  /** Records where a peer listens. A newer incarnation replaces an older. */
  void learn(NodeId peer) {
    addresses.merge(peer.name(), peer, (a, b) -> b.incarnation() >= a.incarnation() ? b : a);
  }

  NodeId address(String peer) {
    return addresses.get(peer);
  }

  /** Whether the transport can reach the peer: it knows its address or holds a link to it. */
  boolean knows(String peer) {
    if (addresses.containsKey(peer)) {
      return true;
    }
    for (LinkKey k : links.keySet()) {
      if (k.peer().equals(peer)) {
        return true;
      }
    }
    return false;
  }

  /** The peer left for good: close its links and release what was queued for it. */
  void forget(String peer) {
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

  /** The wire (channel, lane) a logical (channel, lane) travels on. */
  LinkKey wireKey(String peer, ChannelSpec spec, int lane) {
    return baseline
        ? new LinkKey(peer, ChannelSpec.DEFAULT, 0)
        : new LinkKey(peer, spec.name(), lane);
  }

  Link link(LinkKey key) {
    return links.computeIfAbsent(key, this::newLink);
  }

  private Link newLink(LinkKey key) {
    ChannelSpec spec = baseline ? baselineSpec : channels.get(key.channel());
    if (spec == null) {
      spec = baselineSpec;
    }
    return new Link(
        key, spec.monotonic(), spec.maxQueuedBytes(), spec.trafficClass(), group.next().next());
  }

  ReceiveState receiveState(NodeId peer, String channel, int lane) {
    return receiveStates.computeIfAbsent(
        new ReceiveKey(peer.name(), peer.incarnation(), channel, lane), k -> new ReceiveState());
  }

  /** Drops acknowledged messages that waited longer than the timeout; reports them. */
  void expireUnacked(long timeoutNanos, BiConsumer<LinkKey, Integer> onGiveUp) {
    for (Link link : links.values()) {
      link.expireUnacked(timeoutNanos, n -> onGiveUp.accept(link.key, n));
    }
  }

  /** Closes connections that carried nothing for {@code idleNanos}, except to peers in keep. */
  void closeIdle(long idleNanos, Set<String> keep) {
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

  List<LaneMetrics.Snapshot> metrics() {
    List<LaneMetrics.Snapshot> out = new ArrayList<>();
    for (Link link : links.values()) {
      out.add(
          link.metrics.snapshot(
              link.key.peer(), link.key.channel(), link.key.lane(), link.trafficClass));
    }
    return out;
  }

  int connectionCount(String peer) {
    int n = 0;
    for (Link link : links.values()) {
      if (link.key.peer().equals(peer) && link.isConnected()) {
        n++;
      }
    }
    return n;
  }

  /** Closes every connection to a peer without forgetting it: they reconnect on demand. */
  void disconnect(String peer) {
    for (Link link : links.values()) {
      if (link.key.peer().equals(peer)) {
        Channel ch = link.current();
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  void closeAll() {
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
