package dev.partisan.runtime.overlay;

import dev.partisan.runtime.overlay.OverlaySettings.Static;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The {@code static} overlay: the peers to connect to. */
final class StaticFactory implements OverlayFactory<Static> {
  private static final OverlayKey PEERS =
      new OverlayKey("static_peers", "", "static overlay: comma-separated host:port of peers");

  @Override
  public Static defaults() {
    return Static.defaults();
  }

  @Override
  public List<OverlayKey> keys() {
    return List.of(PEERS);
  }

  @Override
  public Static configure(Static base, Map<String, String> values) {
    String v = PEERS.string(values, null);
    if (v == null) {
      return base;
    }
    return base.withStaticPeers(
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  /** Static links are whatever the settings list: a join adds no connection. */
  @Override
  public boolean joinsThroughSeed() {
    return false;
  }

  @Override
  public Overlay create(OverlayHost host, Static settings, FailureDetection failureDetection) {
    return new StaticOverlay(host, settings, failureDetection);
  }

  /** Every node lists all the others. */
  @Override
  public Map<String, String> localClusterSettings(
      int index, List<String> addresses, Map<String, String> given) {
    List<String> peers = new ArrayList<>(addresses);
    peers.remove(index - 1);
    return Map.of(PEERS.key(), String.join(",", peers));
  }
}
