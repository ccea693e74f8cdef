package dev.partisan.http.config;

import dev.partisan.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a cluster secret from a file, and creates one atomically when it is missing. Errors name
 * the setting and the file, never the content. Stateless.
 */
final class SecretFiles {
  /** Where {@link ClusterSecretSource} says which file it used; never what is in it. */
  static final Logger LOG = LoggerFactory.getLogger(ClusterSecretSource.class);

  private SecretFiles() {}

  /** The secret, and whether this call created its file. */
  record Loaded(String secret, boolean created) {
    @Override
    public String toString() {
      return "Loaded[created=" + created + "]"; // never the secret
    }
  }

  /**
   * The secret in {@code file}, without surrounding whitespace (such as the trailing newline an
   * editor or {@code echo} adds). A missing, unreadable or empty file is an {@link
   * IllegalArgumentException} naming {@code setting} and the file.
   */
  static String read(String setting, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "setting '" + setting + "': the secret file " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "setting '" + setting + "': the secret file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      // NIO's messages name the path and the reason (e.g. access denied), never the content.
      throw new IllegalArgumentException(
          "setting '" + setting + "': cannot read the secret file " + file + ": " + e);
    }
    String secret = text.strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(
          "setting '" + setting + "': the secret file " + file + " is empty");
    }
    return secret;
  }

  /**
   * The secret in {@code file}, which is first created with a new random secret if it does not
   * exist. Creation is atomic, so that nodes sharing the file through a volume agree on one secret
   * even when they start together: the secret is written to a temporary file in the same folder
   * (which NIO creates readable by its owner only, 0600, where POSIX permissions exist), then
   * hard-linked to {@code file}. A link fails if the name exists, so the first node to link wins
   * and every node then reads the winner's file.
   */
  static Loaded readOrCreate(String setting, Path file) {
    if (Files.exists(file)) {
      return new Loaded(read(setting, file), false);
    }
    boolean created;
    Path folder = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(folder);
      Path temp = Files.createTempFile(folder, ".cluster-secret-", ".tmp");
      try {
        writeDurably(temp, RuntimeConfig.newClusterSecret() + "\n");
        created = link(file, temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "setting '" + setting + "': cannot create the secret file " + file + ": " + e);
    }
    return new Loaded(read(setting, file), created);
  }

  /** Links {@code target} to {@code temp}: false when another process made {@code target} first. */
  private static boolean link(Path target, Path temp) throws IOException {
    try {
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      // A file system without hard links: a rename that refuses an existing target. Not atomic
      // against a concurrent creator, which only nodes sharing the file through such a volume risk.
      try {
        Files.move(temp, target);
        return true;
      } catch (FileAlreadyExistsException lost) {
        return false;
      }
    }
  }

  private static void writeDurably(Path file, String content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(StandardCharsets.UTF_8.encode(content));
      ch.force(true);
    }
  }
}
