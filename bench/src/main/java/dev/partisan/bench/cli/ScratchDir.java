package dev.partisan.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a command's nodes keep their stores: the directory the user gave ({@code --data-dir},
 * {@code --dir}), kept afterwards, or a temporary one, deleted on {@link #close()}.
 */
public final class ScratchDir implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private ScratchDir(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** {@code given}, or a new temporary directory named after {@code tempPrefix} if it is null. */
  public static ScratchDir of(Path given, String tempPrefix) throws IOException {
    return given != null
        ? new ScratchDir(given, false)
        : new ScratchDir(Files.createTempDirectory(tempPrefix), true);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (temporary) {
      deleteTree(path);
    }
  }

  /** Deletes {@code root} and everything below it, if it exists. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
