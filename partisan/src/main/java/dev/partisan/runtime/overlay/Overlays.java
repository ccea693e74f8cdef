package dev.partisan.runtime.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry of overlays: every kind a node can run, found here and nowhere else. The runtime
 * builds its overlay through it, the settings parser reads overlay keys through it, and the tools
 * (settings listing, dev cluster) list the kinds from it. Adding an overlay is one {@link
 * OverlayFactory} plus one line in {@link #FACTORIES}. Immutable.
 */
public final class Overlays {
  private Overlays() {}

  /** Every overlay, in the order listings show them; the first is the default. */
  private static final List<OverlayFactory<?>> FACTORIES =
      List.of(
          new FullMeshFactory(),
          new ClientServerFactory(),
          new HyParViewFactory(),
          new StaticFactory());

  /** Keys every overlay reads. */
  public static final List<OverlayKey> COMMON_KEYS =
      List.of(
          new OverlayKey(
              "route_ttl",
              Integer.toString(OverlaySettings.DEFAULT_ROUTE_TTL),
              "hops a routed message may take"));

  private static final OverlayKey ROUTE_TTL = COMMON_KEYS.get(0);

  public static final String DEFAULT_KIND = FACTORIES.get(0).kind();

  public static List<OverlayFactory<?>> all() {
    return FACTORIES;
  }

  public static List<String> kinds() {
    return FACTORIES.stream().map(OverlayFactory::kind).toList();
  }

  /** The kinds as a phrase: "a, b, c or d". */
  public static String kindsPhrase() {
    List<String> k = kinds();
    return k.size() == 1
        ? k.get(0)
        : String.join(", ", k.subList(0, k.size() - 1)) + " or " + k.get(k.size() - 1);
  }

  public static OverlayFactory<?> factory(String kind) {
    for (OverlayFactory<?> f : FACTORIES) {
      if (f.kind().equals(kind)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown overlay '" + kind + "' (choose from " + kinds() + ")");
  }

  public static OverlaySettings defaults(String kind) {
    return factory(kind).defaults();
  }

  /** Every overlay key: the common ones, then each kind's, in registry order. */
  public static List<OverlayKey> keys() {
    List<OverlayKey> all = new ArrayList<>();
    for (OverlayFactory<?> f : FACTORIES) {
      all.addAll(f.keys());
    }
    all.addAll(COMMON_KEYS);
    return all;
  }

  /** Whether {@code name} (without the {@code overlay.} prefix) is a key some overlay reads. */
  public static boolean isKey(String name) {
    Set<String> names = keys().stream().map(OverlayKey::name).collect(Collectors.toSet());
    return names.contains(name);
  }

  /** Builds the overlay {@code settings} describe. */
  public static Overlay create(
      OverlayHost host, OverlaySettings settings, FailureDetection failureDetection) {
    return create(factory(settings.kind()), host, settings, failureDetection);
  }

  private static <S extends OverlaySettings> Overlay create(
      OverlayFactory<S> f, OverlayHost host, OverlaySettings settings, FailureDetection fd) {
    return f.create(host, f.settingsType().cast(settings), fd);
  }

  /**
   * {@code base} with the overlay keys among {@code values} (keyed by name) applied. Keys of the
   * other kinds are accepted but must hold valid values for their kind, so a bad value is caught
   * even while another overlay runs.
   */
  public static OverlaySettings configure(OverlaySettings base, Map<String, String> values) {
    OverlaySettings result = base;
    for (OverlayFactory<?> f : FACTORIES) {
      boolean chosen = f.kind().equals(base.kind());
      OverlaySettings s = configure(f, chosen ? base : f.defaults(), values);
      if (chosen) {
        result = s;
      }
    }
    return values.containsKey(ROUTE_TTL.name())
        ? result.withRouteTtl(ROUTE_TTL.intValue(values, result.routeTtl()))
        : result;
  }

  private static <S extends OverlaySettings> S configure(
      OverlayFactory<S> f, OverlaySettings base, Map<String, String> values) {
    return f.configure(f.settingsType().cast(base), values);
  }
}
