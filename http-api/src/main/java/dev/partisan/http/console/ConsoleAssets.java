package dev.partisan.http.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's static files, from the classpath under {@code console/} (bundled in the jar: the
 * page loads nothing from another host). Only plain file names of known types are served, so no
 * request can name a file outside {@code console/assets/}. Immutable.
 */
final class ConsoleAssets {
  /** Where the jar holds the console. */
  static final String ROOT = "console/";

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES =
      Map.of(
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "woff2", "font/woff2",
          "json", "application/json",
          "map", "application/json",
          "html", "text/html; charset=utf-8");

  /** A file and its content type. */
  record Asset(byte[] bytes, String contentType) {}

  private final String root;

  /** Files under the classpath folder {@code root} (ending in a slash). */
  ConsoleAssets(String root) {
    this.root = root;
  }

  /** The page, or null when the jar has none. */
  Asset page() throws IOException {
    byte[] b = read(root + "index.html");
    return b == null ? null : new Asset(b, TYPES.get("html"));
  }

  /** The asset {@code name}, or null when it is not a plain file name of a known type or absent. */
  Asset asset(String name) throws IOException {
    if (name == null || !FILE_NAME.matcher(name).matches() || name.contains("..")) {
      return null;
    }
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      return null;
    }
    byte[] b = read(root + "assets/" + name);
    return b == null ? null : new Asset(b, type);
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
