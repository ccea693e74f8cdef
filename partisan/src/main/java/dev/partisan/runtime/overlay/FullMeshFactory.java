package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.OverlaySettings.FullMesh;
import java.util.List;
import java.util.Map;

/** The {@code full-mesh} overlay (the default): no settings of its own. */
final class FullMeshFactory implements OverlayFactory<FullMesh> {
  @Override
  public FullMesh defaults() {
    return FullMesh.defaults();
  }

  @Override
  public List<OverlayKey> keys() {
    return List.of();
  }

  @Override
  public FullMesh configure(FullMesh base, Map<String, String> values) {
    return base;
  }

  @Override
  public Overlay create(OverlayHost host, FullMesh settings, FailureDetection failureDetection) {
    return new FullMeshOverlay(host, settings, failureDetection);
  }
}
