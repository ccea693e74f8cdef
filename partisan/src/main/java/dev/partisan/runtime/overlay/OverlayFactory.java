package dev.partisan.runtime.overlay;

import java.util.List;
import java.util.Map;

/**
 * Everything the runtime and the tools need to know about one kind of overlay: its name in the
 * configuration, its settings type with defaults, the settings keys it reads, and how to build it.
 * Each kind has one, listed in {@link Overlays}. Stateless.
 *
 * @param <S> this kind's settings record
 */
public interface OverlayFactory<S extends OverlaySettings> {
  /** This kind's settings, every field at its default. */
  S defaults();

  /** The value of the setting {@code overlay} that picks this kind. */
  default String kind() {
    return defaults().kind();
  }

  @SuppressWarnings("unchecked") // settings types are records, hence final: the class is S
  default Class<S> settingsType() {
    return (Class<S>) defaults().getClass();
  }

  /** The keys this kind reads besides the common ones ({@link Overlays#COMMON_KEYS}). */
  List<OverlayKey> keys();

  /**
   * {@code base} with this kind's keys among {@code values} (keyed by {@link OverlayKey#name()})
   * applied; other keys are ignored. Throws IllegalArgumentException naming a bad key or value.
   */
  S configure(S base, Map<String, String> values);

  /**
   * Whether nodes find their members by joining through any one seed (true for the gossip-based
   * overlays). False for an overlay that only ever connects to peers listed in its settings: tools
   * that form clusters by joins (benchmarks) leave such kinds out.
   */
  default boolean joinsThroughSeed() {
    return true;
  }

  /** Builds the overlay; the runtime starts it. */
  Overlay create(OverlayHost host, S settings, FailureDetection failureDetection);

  /**
   * The settings node {@code index} (1-based) of a cluster on one machine needs beyond {@code
   * given}, when every node's cluster address is known in advance (dev clusters): for example the
   * peers to list, or a role.
   */
  default Map<String, String> localClusterSettings(
      int index, List<String> addresses, Map<String, String> given) {
    return Map.of();
  }
}
