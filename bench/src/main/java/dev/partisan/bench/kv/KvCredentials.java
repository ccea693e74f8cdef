package dev.partisan.bench.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The user {@code bench kv} loads a secured cluster as ({@code --user}), with the password from
 * {@code --password-file} (its first line): never from the command line, which other users of the
 * machine can read in the process list. Immutable; {@link #toString} leaves the password out.
 */
record KvCredentials(String user, String password) {

  /**
   * Reads the password file.
   *
   * @throws IllegalArgumentException for a bad name, a missing or empty file (the message never
   *     holds the password)
   */
  static KvCredentials read(String user, Path passwordFile) {
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("--user must be a non-empty name without ':'");
    }
    if (passwordFile == null) {
      throw new IllegalArgumentException("--user needs --password-file FILE");
    }
    String text;
    try {
      text = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --password-file " + passwordFile + ": " + e.getClass().getSimpleName());
    }
    String firstLine = text.lines().findFirst().orElse("");
    if (firstLine.isEmpty()) {
      throw new IllegalArgumentException("--password-file " + passwordFile + " is empty");
    }
    return new KvCredentials(user, firstLine);
  }

  /** The HTTP Basic {@code Authorization} header's value. */
  String basicAuthorization() {
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  @Override
  public String toString() {
    return "KvCredentials[user=" + user + "]";
  }
}
