package dev.partisan.kv.backend;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The backends a node can run on, by the name the {@code kv.backend} setting uses. To add a
 * backend, write the {@link Backend} and list a {@link BackendFactory} for it in {@link
 * #FACTORIES}; the configuration, the settings list and the documentation table all read this list.
 *
 * <p>Immutable; any thread.
 */
public final class BackendRegistry {
  private BackendRegistry() {}

  public static final String ROCKSDB = "rocksdb";
  public static final String MEMORY = "memory";

  private static final List<BackendFactory> FACTORIES =
      List.of(
          new BackendFactory(ROCKSDB, "embedded, durable", true, RocksDbBackend::new),
          new BackendFactory(
              MEMORY,
              "lost at exit; tests and demos",
              false,
              (dir, options) -> new MemoryBackend()));

  /** Every backend, in the order the settings list shows them. */
  public static List<BackendFactory> all() {
    return FACTORIES;
  }

  public static List<String> names() {
    return FACTORIES.stream().map(BackendFactory::name).toList();
  }

  /** The backend called {@code name}; an unknown name is an {@link IllegalArgumentException}. */
  public static BackendFactory named(String name) {
    for (BackendFactory f : FACTORIES) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown kv backend '" + name + "': known backends are " + String.join(", ", names()));
  }

  /**
   * The backend used when none is named: RocksDB when there is a data folder, memory without one
   * (so a configuration that gives no folder keeps working as an in-memory node).
   */
  public static String defaultName(boolean hasDataDir) {
    return hasDataDir ? ROCKSDB : MEMORY;
  }

  /** "rocksdb (embedded, durable) or memory (...)": the choices, for settings lists. */
  public static String describeChoices() {
    List<String> each =
        FACTORIES.stream().map(f -> f.name() + " (" + f.description() + ")").toList();
    if (each.size() == 1) {
      return each.get(0);
    }
    return each.subList(0, each.size() - 1).stream().collect(Collectors.joining(", "))
        + " or "
        + each.get(each.size() - 1);
  }
}
