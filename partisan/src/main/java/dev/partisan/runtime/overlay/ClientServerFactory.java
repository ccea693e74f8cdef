package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.OverlaySettings.ClientServer;
import java.util.List;
import java.util.Map;

/** The {@code client-server} overlay: each node's role. */
final class ClientServerFactory implements OverlayFactory<ClientServer> {
  private static final OverlayKey ROLE =
      new OverlayKey(
          "role", ClientServer.defaults().role(), "client-server overlay: server or client");

  @Override
  public ClientServer defaults() {
    return ClientServer.defaults();
  }

  @Override
  public List<OverlayKey> keys() {
    return List.of(ROLE);
  }

  @Override
  public ClientServer configure(ClientServer base, Map<String, String> values) {
    return base.withRole(ROLE.string(values, base.role()));
  }

  @Override
  public Overlay create(
      OverlayHost host, ClientServer settings, FailureDetection failureDetection) {
    return new ClientServerOverlay(host, settings, failureDetection);
  }

  /** A third of the nodes (at least one) are servers; clients reach each other through them. */
  @Override
  public Map<String, String> localClusterSettings(
      int index, List<String> addresses, Map<String, String> given) {
    if (given.containsKey(ROLE.key())) {
      return Map.of();
    }
    int servers = Math.max(1, (addresses.size() + 2) / 3);
    return Map.of(ROLE.key(), index <= servers ? "server" : "client");
  }
}
