package dev.partisan.http.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The admin CLI's HTTP Basic credentials: a user from {@code --user}, its password from {@code
 * --password-file} or the {@code PARTISAN_PASSWORD} environment variable, never from the command
 * line (which other users of the machine can read in the process list). Sent over https only: a
 * password in plaintext is one anyone on the path can read, and Riak refuses it too.
 */
final class AdminCredentials {
  static final String PASSWORD_ENV = "PARTISAN_PASSWORD";

  private AdminCredentials() {}

  /**
   * The Authorization header's value, or null without {@code --user}.
   *
   * @throws IllegalArgumentException when no password is given, the file cannot be read, or the URL
   *     is not https (messages never hold the password)
   */
  static String header(String user, Path passwordFile, String passwordEnv, String url) {
    return header(user, passwordFile, passwordEnv, url, false);
  }

  /**
   * As {@link #header(String, Path, String, String)}; with {@code certificate} (a client
   * certificate is presented, {@code --cert}) the password may be left out: a {@code certificate}
   * source checks the certificate's common name against the user, and Riak still wants the name.
   */
  static String header(
      String user, Path passwordFile, String passwordEnv, String url, boolean certificate) {
    if (user == null) {
      if (passwordFile != null) {
        throw new IllegalArgumentException("--password-file needs --user");
      }
      return null;
    }
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("--user must be a non-empty name without ':'");
    }
    if (!url.regionMatches(true, 0, "https://", 0, 8)) {
      throw new IllegalArgumentException(
          "--user sends a password: use an https:// --url (see docs/security.md)");
    }
    String password = passwordFile != null ? read(passwordFile) : passwordEnv;
    if ((password == null || password.isEmpty()) && certificate) {
      password = "";
    } else if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException(
          "--user needs a password: --password-file FILE or the " + PASSWORD_ENV + " variable");
    }
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  /** The file's first line (a trailing newline is not part of the password). */
  private static String read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String line = end < 0 ? text : text.substring(0, end);
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --password-file " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
