package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;
import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Nodes are tagged {@code server} or {@code client}. Servers connect to every member; clients
 * connect only to servers. A client reaches another client through a server, chosen by rendezvous
 * hashing of the destination among the servers that are up, so one pair's messages keep to one
 * relay (and their order) while it lives. The Erlang original refuses client-to-client messages;
 * here the relay is transparent to both actors.
 */
public final class ClientServerOverlay extends MembershipOverlay<OverlaySettings.ClientServer> {
  ClientServerOverlay(
      OverlayHost host, OverlaySettings.ClientServer settings, FailureDetection failureDetection) {
    super(host, settings, failureDetection);
  }

  private boolean isServer() {
    return settings.role().equals("server");
  }

  @Override
  protected String role() {
    return settings.role();
  }

  /** Clients never dial clients; servers monitor every member. */
  @Override
  protected boolean probesUnmonitored() {
    return false;
  }

  @Override
  protected Collection<String> monitoredPeers() {
    List<String> peers = new ArrayList<>();
    for (Member m : set.all()) {
      String name = m.id().name();
      if (m.status() == Status.LEFT || name.equals(host.self().name())) {
        continue;
      }
      if (isServer() || m.role().equals("server")) {
        peers.add(name);
      }
    }
    return peers;
  }

  @Override
  protected boolean isMonitored(String name) {
    Member m = set.get(name);
    return m != null
        && m.status() != Status.LEFT
        && !name.equals(host.self().name())
        && (isServer() || m.role().equals("server"));
  }

  @Override
  public Route route(String destination) {
    if (isServer()) {
      return Route.DIRECT;
    }
    NodeId dest = memberId(destination);
    if (dest == null) {
      return Route.DIRECT; // not (yet) a member: let the transport judge the address
    }
    if (serverNames().contains(destination)) {
      return Route.DIRECT;
    }
    String relay = null;
    long best = Long.MIN_VALUE;
    for (String server : serverNames()) {
      if (!isUp(server)) {
        continue;
      }
      long score = Mix64.of((server + "/" + destination).hashCode());
      if (relay == null || score > best) {
        relay = server;
        best = score;
      }
    }
    return relay == null
        ? new Route.Unreachable("no server is up to relay to client " + destination)
        : new Route.Via(List.of(relay));
  }

  private volatile List<String> servers = List.of();

  private List<String> serverNames() {
    return servers;
  }

  @Override
  protected void onPublished() {
    List<String> s = new ArrayList<>();
    for (Member m : set.all()) {
      if (m.status() != Status.LEFT && m.role().equals("server")) {
        s.add(m.id().name());
      }
    }
    servers = List.copyOf(s);
  }
}
