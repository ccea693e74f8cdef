package dev.partisan.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The cluster secret in a file only this user can read (0600), for a child node: a secret never
 * goes on a command line, where any user's {@code ps} shows it. Deleted on close (the child reads
 * it before it says it is ready).
 */
public record SecretFile(Path path) implements AutoCloseable {
  public static SecretFile write(String secret) {
    try {
      Path p =
          Files.createTempFile(
              "bench-secret",
              ".txt",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(p, secret + "\n", StandardCharsets.UTF_8);
      return new SecretFile(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first line of the file, trimmed; the error never shows the file's content. */
  public static String read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String secret = lines.isEmpty() ? "" : lines.get(0).trim();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("the secret file " + file + " is empty");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e);
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
