package dev.partisan.bench.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The cluster secret in a file only this user can read (0600), for a child node: a secret never
 * goes on a command line, where any user's {@code ps} shows it. Deleted on close (the child reads
 * it before it says it is ready).
 */
record SecretFile(Path path) implements AutoCloseable {
  static SecretFile write(String secret) {
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

  @Override
  public void close() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
