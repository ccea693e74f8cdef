package dev.partisan.bench.cli;

import dev.partisan.runtime.overlay.OverlayFactory;
import dev.partisan.runtime.overlay.Overlays;
import java.util.Iterator;
import java.util.List;

/**
 * The overlays a benchmark can form a cluster on by joining every node to one seed: the runtime's
 * registry minus the kinds that only connect to listed peers. Also picocli's completion candidates,
 * so option help lists them ({@code ${COMPLETION-CANDIDATES}}).
 */
public final class JoinableOverlays implements Iterable<String> {
  public static List<String> kinds() {
    return Overlays.all().stream()
        .filter(OverlayFactory::joinsThroughSeed)
        .map(OverlayFactory::kind)
        .toList();
  }

  /** Fails with a message naming the choices unless {@code kind} is one of {@link #kinds()}. */
  public static String require(String kind) {
    if (!kinds().contains(kind)) {
      throw new IllegalArgumentException(
          "unknown or unsupported overlay '" + kind + "'; choose from " + kinds());
    }
    return kind;
  }

  @Override
  public Iterator<String> iterator() {
    return kinds().iterator();
  }
}
