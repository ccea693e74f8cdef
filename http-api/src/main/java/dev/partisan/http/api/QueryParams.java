package dev.partisan.http.api;

import dev.partisan.kv.Quorum;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's query parameters, parsed strictly from the raw query string: a bad escape, invalid
 * UTF-8, a repeated parameter or a parameter the endpoint does not know is a 400 naming it, so a
 * typo such as {@code ?wr=3} never silently falls back to a default.
 */
public final class QueryParams {
  private static final long MAX_TIMEOUT_MS = 3_600_000;

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  public static QueryParams parse(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryParams(values);
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (values.put(name, value) != null) {
        throw HttpError.badRequest("query parameter '" + name + "' is given more than once");
      }
    }
    return new QueryParams(values);
  }

  private static String decode(String raw) {
    byte[] bytes = ObjectPath.percentDecode(raw.replace('+', ' '), "the query string");
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest("the query string is not valid UTF-8");
    }
  }

  /**
   * Refuses parameters outside {@code known}; {@code ignored} are riak parameters accepted for
   * compatibility that change nothing here.
   */
  public QueryParams allow(Set<String> known, Set<String> ignored) {
    for (String name : values.keySet()) {
      if (!known.contains(name) && !ignored.contains(name)) {
        throw HttpError.badRequest(
            "unknown query parameter '"
                + name
                + "' (this endpoint takes "
                + new TreeSet<>(known)
                + ")");
      }
    }
    return this;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * A quorum parameter; null when absent or {@code default} (the bucket's setting then applies).
   */
  public Quorum quorum(String name) {
    String v = values.get(name);
    if (v == null) {
      return null;
    }
    try {
      Quorum q = Quorum.parse(v);
      return q.isDefault() ? null : q;
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("parameter " + name + ": " + e.getMessage());
    }
  }

  public boolean bool(String name, boolean otherwise) {
    String v = values.get(name);
    if (v == null) {
      return otherwise;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw HttpError.badRequest(
              "parameter " + name + " must be true or false: '" + shorten(v) + "'");
    };
  }

  /** {@code ?timeout=} in milliseconds (1 ms to 1 hour), or null. */
  public Duration timeout() {
    String v = values.get("timeout");
    if (v == null) {
      return null;
    }
    long ms;
    try {
      ms = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("parameter timeout must be milliseconds: '" + shorten(v) + "'");
    }
    if (ms < 1 || ms > MAX_TIMEOUT_MS) {
      throw HttpError.badRequest("parameter timeout must be 1.." + MAX_TIMEOUT_MS + " ms: " + ms);
    }
    return Duration.ofMillis(ms);
  }

  /** Keeps a value from being echoed back in full in an error message. */
  static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
