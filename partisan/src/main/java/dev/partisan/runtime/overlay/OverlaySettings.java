package dev.partisan.runtime.overlay;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which overlay a node runs and its parameters. Plain configuration: the application never names an
 * overlay in code.
 *
 * @param kind {@code full-mesh}, {@code client-server}, {@code hyparview} or {@code static}
 * @param role for client-server: {@code server} or {@code client}
 * @param staticPeers for static: the {@code host:port} of every peer to connect to
 * @param routeTtl hops a routed or flooded message may take before it is dropped
 */
public record OverlaySettings(
    String kind,
    String role,
    List<String> staticPeers,
    int activeViewSize,
    int activeViewMin,
    int passiveViewSize,
    int activeRandomWalkLength,
    int passiveRandomWalkLength,
    Duration shuffleInterval,
    int shuffleActive,
    int shufflePassive,
    Duration lazyPushInterval,
    int routeTtl) {

  public static final List<String> KINDS =
      List.of("full-mesh", "client-server", "hyparview", "static");

  public OverlaySettings {
    Objects.requireNonNull(kind, "kind");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown overlay '" + kind + "' (choose from " + KINDS + ")");
    }
    if (!role.equals("server") && !role.equals("client")) {
      throw new IllegalArgumentException("role must be server or client: " + role);
    }
    staticPeers = List.copyOf(staticPeers);
    if (activeViewMin < 1 || activeViewMin > activeViewSize) {
      throw new IllegalArgumentException("need 1 <= activeViewMin <= activeViewSize");
    }
    if (passiveRandomWalkLength > activeRandomWalkLength) {
      throw new IllegalArgumentException("passive random walk must not exceed the active one");
    }
    if (routeTtl < 1 || routeTtl > 255) {
      throw new IllegalArgumentException("routeTtl must be 1..255");
    }
  }

  public static OverlaySettings defaults(String kind) {
    return new OverlaySettings(
        kind,
        "server",
        List.of(),
        6,
        3,
        30,
        6,
        3,
        Duration.ofSeconds(10),
        3,
        4,
        Duration.ofMillis(500),
        32);
  }

  public OverlaySettings withRole(String r) {
    return new OverlaySettings(
        kind,
        r,
        staticPeers,
        activeViewSize,
        activeViewMin,
        passiveViewSize,
        activeRandomWalkLength,
        passiveRandomWalkLength,
        shuffleInterval,
        shuffleActive,
        shufflePassive,
        lazyPushInterval,
        routeTtl);
  }

  public OverlaySettings withStaticPeers(List<String> peers) {
    return new OverlaySettings(
        kind,
        role,
        peers,
        activeViewSize,
        activeViewMin,
        passiveViewSize,
        activeRandomWalkLength,
        passiveRandomWalkLength,
        shuffleInterval,
        shuffleActive,
        shufflePassive,
        lazyPushInterval,
        routeTtl);
  }

  public OverlaySettings withViews(int active, int activeMin, int passive) {
    return new OverlaySettings(
        kind,
        role,
        staticPeers,
        active,
        activeMin,
        passive,
        activeRandomWalkLength,
        passiveRandomWalkLength,
        shuffleInterval,
        shuffleActive,
        shufflePassive,
        lazyPushInterval,
        routeTtl);
  }

  public OverlaySettings withShuffle(Duration interval, int active, int passive) {
    return new OverlaySettings(
        kind,
        role,
        staticPeers,
        activeViewSize,
        activeViewMin,
        passiveViewSize,
        activeRandomWalkLength,
        passiveRandomWalkLength,
        interval,
        active,
        passive,
        lazyPushInterval,
        routeTtl);
  }

  public OverlaySettings withRandomWalks(int arwl, int prwl) {
    return new OverlaySettings(
        kind,
        role,
        staticPeers,
        activeViewSize,
        activeViewMin,
        passiveViewSize,
        arwl,
        prwl,
        shuffleInterval,
        shuffleActive,
        shufflePassive,
        lazyPushInterval,
        routeTtl);
  }

  public OverlaySettings withLazyPushInterval(Duration d) {
    return new OverlaySettings(
        kind,
        role,
        staticPeers,
        activeViewSize,
        activeViewMin,
        passiveViewSize,
        activeRandomWalkLength,
        passiveRandomWalkLength,
        shuffleInterval,
        shuffleActive,
        shufflePassive,
        d,
        routeTtl);
  }
}
