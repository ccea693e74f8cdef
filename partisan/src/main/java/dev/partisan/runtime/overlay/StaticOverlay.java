package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Connections only to the configured peers ({@code host:port} each), no membership gossip: the
 * members are this node and the configured peers it has reached. A peer is found by dialing its
 * address; its name is learned from the handshake. Members outside the list are unreachable.
 */
public final class StaticOverlay extends MembershipOverlay<OverlaySettings.Static> {
  private final Set<String> peers = ConcurrentHashMap.newKeySet(); // written by probes

  StaticOverlay(
      OverlayHost host, OverlaySettings.Static settings, FailureDetection failureDetection) {
    super(host, settings, failureDetection);
  }

  @Override
  public void start() {
    super.start();
    for (String address : settings.staticPeers()) {
      connect(address);
    }
  }

  private void connect(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("static peer must be host:port: " + address);
    }
    String h = address.substring(0, colon);
    int p = Integer.parseInt(address.substring(colon + 1));
    host.probe(h, p)
        .whenComplete(
            (id, err) -> {
              if (err == null) {
                peers.add(id.name());
                join(id);
              } else {
                // The peer may start later: keep trying, as a static topology is a promise.
                host.scheduler().schedule(() -> connect(address), 1, TimeUnit.SECONDS);
              }
            });
  }

  private void join(NodeId peer) {
    super.join(peer.host(), peer.port());
  }

  @Override
  public CompletableFuture<Void> join(String seedHost, int seedPort) {
    return super.join(seedHost, seedPort);
  }

  @Override
  protected Collection<String> monitoredPeers() {
    return new ArrayList<>(peers);
  }

  @Override
  protected boolean isMonitored(String name) {
    return peers.contains(name);
  }

  /** No gossip: news about a peer stays with the nodes that are configured with it. */
  @Override
  protected void disseminate(List<MembershipMessages.Member> changed, String except) {}

  /** Links are undirected: a node configured with us is a peer of ours too. */
  @Override
  protected void onContactedBy(String name) {
    peers.add(name);
  }

  @Override
  protected boolean gossips() {
    return false;
  }

  @Override
  public Route route(String destination) {
    return peers.contains(destination)
        ? Route.DIRECT
        : new Route.Unreachable(destination + " is not a configured peer");
  }
}
