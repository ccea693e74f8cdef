package dev.partisan.kv.backend;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One kind of {@link Backend}, chosen by name with the {@code kv.backend} setting ({@code
 * KvConfig.backend}). Every kind is listed in {@link BackendRegistry}.
 *
 * @param name the name settings use ({@code kv.backend=NAME}): lower case, stable
 * @param description a few words for the settings list: what it is for
 * @param needsDataDir whether it keeps its data in a folder, which the configuration must then name
 * @param opener opens the backend; the node that opened it closes it
 */
public record BackendFactory(String name, String description, boolean needsDataDir, Opener opener) {
  public BackendFactory {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(opener, "opener");
  }

  /**
   * Opens the backend.
   *
   * @param dataDir the data folder; null when none is configured (only if {@link #needsDataDir()}
   *     is false)
   * @param options how (fsync, background write rate); backends without a disk ignore them
   */
  public Backend open(Path dataDir, BackendOptions options) {
    return opener.open(dataDir, options);
  }

  /** Opens one backend of this kind. */
  @FunctionalInterface
  public interface Opener {
    Backend open(Path dataDir, BackendOptions options);
  }
}
