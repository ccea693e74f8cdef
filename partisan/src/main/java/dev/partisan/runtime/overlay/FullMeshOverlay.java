package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.MembershipMessages.Member;
import dev.partisan.runtime.overlay.MembershipMessages.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every member connects to every other and judges every other's liveness itself, so no rumours are
 * needed; every member is a direct route.
 */
public final class FullMeshOverlay extends MembershipOverlay<OverlaySettings.FullMesh> {
  FullMeshOverlay(
      OverlayHost host, OverlaySettings.FullMesh settings, FailureDetection failureDetection) {
    super(host, settings, failureDetection);
  }

  @Override
  protected Collection<String> monitoredPeers() {
    List<String> peers = new ArrayList<>();
    for (Member m : set.all()) {
      if (m.status() != Status.LEFT && !m.id().name().equals(host.self().name())) {
        peers.add(m.id().name());
      }
    }
    return peers;
  }

  @Override
  protected boolean isMonitored(String name) {
    Member m = set.get(name);
    return m != null && m.status() != Status.LEFT && !name.equals(host.self().name());
  }

  @Override
  protected boolean spreadsSuspicions() {
    return false;
  }

  @Override
  public Route route(String destination) {
    return Route.DIRECT;
  }
}
