package dev.partisan.runtime.overlay;

import java.time.Duration;
import java.util.List;

/**
 * Which overlay a node runs and its parameters: one record per kind, holding only that kind's
 * fields. Plain configuration: the application never names an overlay in code. Each kind's {@link
 * OverlayFactory} (listed in {@link Overlays}) gives its defaults and reads its settings keys.
 */
public sealed interface OverlaySettings
    permits OverlaySettings.FullMesh,
        OverlaySettings.ClientServer,
        OverlaySettings.HyParView,
        OverlaySettings.Static {

  int DEFAULT_ROUTE_TTL = 32;

  /** The value of the setting {@code overlay} that picks this kind. */
  String kind();

  /** Hops a routed or flooded message (and a broadcast) may take before it is dropped. */
  int routeTtl();

  OverlaySettings withRouteTtl(int ttl);

  private static int checkedTtl(int ttl) {
    if (ttl < 1 || ttl > 255) {
      throw new IllegalArgumentException("routeTtl must be 1..255");
    }
    return ttl;
  }

  /** Every member connects to every other. */
  record FullMesh(int routeTtl) implements OverlaySettings {
    public static final String KIND = "full-mesh";

    public FullMesh {
      checkedTtl(routeTtl);
    }

    public static FullMesh defaults() {
      return new FullMesh(DEFAULT_ROUTE_TTL);
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public FullMesh withRouteTtl(int ttl) {
      return new FullMesh(ttl);
    }
  }

  /**
   * Servers connect to everyone, clients only to servers.
   *
   * @param role {@code server} or {@code client}
   */
  record ClientServer(String role, int routeTtl) implements OverlaySettings {
    public static final String KIND = "client-server";

    public ClientServer {
      checkedRole(role);
      checkedTtl(routeTtl);
    }

    public static ClientServer defaults() {
      return new ClientServer("server", DEFAULT_ROUTE_TTL);
    }

    /** Throws unless {@code role} is {@code server} or {@code client}. */
    public static String checkedRole(String role) {
      if (!"server".equals(role) && !"client".equals(role)) {
        throw new IllegalArgumentException("role must be server or client: " + role);
      }
      return role;
    }

    @Override
    public String kind() {
      return KIND;
    }

    public ClientServer withRole(String r) {
      return new ClientServer(r, routeTtl);
    }

    @Override
    public ClientServer withRouteTtl(int ttl) {
      return new ClientServer(role, ttl);
    }
  }

  /** HyParView partial views, Plumtree broadcast, routed unicast. */
  record HyParView(
      int activeViewSize,
      int activeViewMin,
      int passiveViewSize,
      int activeRandomWalkLength,
      int passiveRandomWalkLength,
      Duration shuffleInterval,
      int shuffleActive,
      int shufflePassive,
      Duration lazyPushInterval,
      Duration graftTimeout,
      Duration graftTimeoutMax,
      int routeTtl)
      implements OverlaySettings {
    public static final String KIND = "hyparview";

    public HyParView {
      if (activeViewMin < 1 || activeViewMin > activeViewSize) {
        throw new IllegalArgumentException("need 1 <= activeViewMin <= activeViewSize");
      }
      if (passiveRandomWalkLength > activeRandomWalkLength) {
        throw new IllegalArgumentException("passive random walk must not exceed the active one");
      }
      if (lazyPushInterval.isNegative()
          || lazyPushInterval.isZero()
          || graftTimeout.isNegative()
          || graftTimeout.isZero()
          || graftTimeoutMax.compareTo(graftTimeout) < 0) {
        throw new IllegalArgumentException(
            "need lazy push interval > 0 and 0 < graft timeout <= graft timeout max");
      }
      checkedTtl(routeTtl);
    }

    public static HyParView defaults() {
      return new HyParView(
          6,
          3,
          30,
          6,
          3,
          Duration.ofSeconds(10),
          3,
          4,
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(8),
          DEFAULT_ROUTE_TTL);
    }

    @Override
    public String kind() {
      return KIND;
    }

    public HyParView withShuffle(Duration interval, int active, int passive) {
      return new HyParView(
          activeViewSize,
          activeViewMin,
          passiveViewSize,
          activeRandomWalkLength,
          passiveRandomWalkLength,
          interval,
          active,
          passive,
          lazyPushInterval,
          graftTimeout,
          graftTimeoutMax,
          routeTtl);
    }

    public HyParView withLazyPushInterval(Duration d) {
      return withPlumtreeTimers(d, graftTimeout, graftTimeoutMax);
    }

    /**
     * Plumtree's own timers: announcements are batched for {@code lazyPush}; a message announced
     * but not received is grafted after {@code graft}, and again after twice as long per try, up to
     * {@code graftMax}.
     */
    public HyParView withPlumtreeTimers(Duration lazyPush, Duration graft, Duration graftMax) {
      return new HyParView(
          activeViewSize,
          activeViewMin,
          passiveViewSize,
          activeRandomWalkLength,
          passiveRandomWalkLength,
          shuffleInterval,
          shuffleActive,
          shufflePassive,
          lazyPush,
          graft,
          graftMax,
          routeTtl);
    }

    @Override
    public HyParView withRouteTtl(int ttl) {
      return new HyParView(
          activeViewSize,
          activeViewMin,
          passiveViewSize,
          activeRandomWalkLength,
          passiveRandomWalkLength,
          shuffleInterval,
          shuffleActive,
          shufflePassive,
          lazyPushInterval,
          graftTimeout,
          graftTimeoutMax,
          ttl);
    }
  }

  /**
   * Connections only to the listed peers.
   *
   * @param staticPeers the {@code host:port} of every peer to connect to
   */
  record Static(List<String> staticPeers, int routeTtl) implements OverlaySettings {
    public static final String KIND = "static";

    public Static {
      staticPeers = List.copyOf(staticPeers);
      checkedTtl(routeTtl);
    }

    public static Static defaults() {
      return new Static(List.of(), DEFAULT_ROUTE_TTL);
    }

    @Override
    public String kind() {
      return KIND;
    }

    public Static withStaticPeers(List<String> peers) {
      return new Static(peers, routeTtl);
    }

    @Override
    public Static withRouteTtl(int ttl) {
      return new Static(staticPeers, ttl);
    }
  }
}
