package dev.partisan.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partisan.runtime.NodeId;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry lists every overlay once, and each factory builds its overlay from its settings. */
class OverlaysTest {
  private static final FailureDetection TIMINGS =
      new FailureDetection(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1));

  /** A host that knows who it is and nothing else: building an overlay must not use more. */
  private static final OverlayHost HOST =
      (OverlayHost)
          Proxy.newProxyInstance(
              OverlayHost.class.getClassLoader(),
              new Class<?>[] {OverlayHost.class},
              (proxy, method, args) -> {
                if (method.getName().equals("self")) {
                  return new NodeId("n1", "127.0.0.1", 9000, 1);
                }
                throw new UnsupportedOperationException(method.getName());
              });

  @Test
  void listsTheFourKindsWithFullMeshFirst() {
    assertThat(Overlays.kinds())
        .containsExactly("full-mesh", "client-server", "hyparview", "static");
    assertThat(Overlays.DEFAULT_KIND).isEqualTo("full-mesh");
    assertThat(Overlays.kindsPhrase()).isEqualTo("full-mesh, client-server, hyparview or static");
  }

  @Test
  void onlyTheStaticOverlayCannotBeFormedByJoiningASeed() {
    assertThat(Overlays.all().stream().filter(OverlayFactory::joinsThroughSeed))
        .extracting(OverlayFactory::kind)
        .containsExactly("full-mesh", "client-server", "hyparview");
  }

  @Test
  void eachFactoryBuildsItsOverlayFromItsSettingsType() {
    Map<String, Class<?>> expected =
        Map.of(
            "full-mesh", FullMeshOverlay.class,
            "client-server", ClientServerOverlay.class,
            "hyparview", HyParViewOverlay.class,
            "static", StaticOverlay.class);
    for (OverlayFactory<?> f : Overlays.all()) {
      OverlaySettings defaults = f.defaults();
      assertThat(defaults.kind()).isEqualTo(f.kind());
      assertThat(f.settingsType()).isEqualTo(defaults.getClass());
      assertThat(Overlays.defaults(f.kind())).isEqualTo(defaults);
      Overlay overlay = Overlays.create(HOST, defaults, TIMINGS);
      assertThat(overlay).as(f.kind()).isExactlyInstanceOf(expected.get(f.kind()));
    }
  }

  @Test
  void anUnknownKindNamesTheKnownOnes() {
    assertThatThrownBy(() -> Overlays.factory("ring"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown overlay 'ring'")
        .hasMessageContaining("hyparview");
  }

  @Test
  void everyKeyIsDocumentedAndOwnedOnce() {
    List<OverlayKey> keys = Overlays.keys();
    Set<String> names = keys.stream().map(OverlayKey::name).collect(Collectors.toSet());
    assertThat(names).hasSameSizeAs(keys);
    assertThat(names)
        .contains("role", "static_peers", "active_view", "shuffle_interval_ms", "route_ttl");
    for (OverlayKey k : keys) {
      assertThat(k.key()).startsWith("overlay.");
      assertThat(k.description()).isNotBlank();
      assertThat(Overlays.isKey(k.name())).isTrue();
    }
    assertThat(Overlays.isKey("active_veiw")).isFalse();
  }

  @Test
  void keysConfigureTheirOwnKindAndAreCheckedForTheOthers() {
    Map<String, String> values =
        Map.of("active_view", "8", "role", "client", "static_peers", "a:1, b:2", "route_ttl", "9");
    var hv = (OverlaySettings.HyParView) Overlays.configure(Overlays.defaults("hyparview"), values);
    assertThat(hv.activeViewSize()).isEqualTo(8);
    assertThat(hv.routeTtl()).isEqualTo(9);
    var cs =
        (OverlaySettings.ClientServer)
            Overlays.configure(Overlays.defaults("client-server"), values);
    assertThat(cs.role()).isEqualTo("client");
    var st = (OverlaySettings.Static) Overlays.configure(Overlays.defaults("static"), values);
    assertThat(st.staticPeers()).containsExactly("a:1", "b:2");
    assertThat(Overlays.configure(Overlays.defaults("full-mesh"), values))
        .isEqualTo(new OverlaySettings.FullMesh(9));
    // A bad value for an overlay that is not running is still an error.
    assertThatThrownBy(
            () -> Overlays.configure(Overlays.defaults("full-mesh"), Map.of("active_view", "x")))
        .hasMessageContaining("overlay.active_view");
    assertThatThrownBy(
            () -> Overlays.configure(Overlays.defaults("full-mesh"), Map.of("role", "boss")))
        .hasMessageContaining("role");
  }

  @Test
  void staticAndClientServerLayOutALocalCluster() {
    List<String> addresses = List.of("h:1", "h:2", "h:3", "h:4");
    assertThat(Overlays.factory("static").localClusterSettings(2, addresses, Map.of()))
        .containsExactly(Map.entry("overlay.static_peers", "h:1,h:3,h:4"));
    OverlayFactory<?> cs = Overlays.factory("client-server");
    assertThat(cs.localClusterSettings(2, addresses, Map.of()))
        .containsExactly(Map.entry("overlay.role", "server"));
    assertThat(cs.localClusterSettings(3, addresses, Map.of()))
        .containsExactly(Map.entry("overlay.role", "client"));
    assertThat(cs.localClusterSettings(3, addresses, Map.of("overlay.role", "server"))).isEmpty();
    assertThat(Overlays.factory("full-mesh").localClusterSettings(1, addresses, Map.of()))
        .isEmpty();
  }
}
