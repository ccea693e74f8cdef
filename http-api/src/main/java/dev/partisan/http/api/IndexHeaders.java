package dev.partisan.http.api;

import dev.partisan.kv.Content;
import dev.partisan.kv.object.IndexEntry;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Riak's secondary-index headers: {@code X-Riak-Index-<field>: v1, v2} on a PUT gives the value's
 * index entries (a field may repeat, and one header may list several values); a GET returns them
 * the same way, one header per field. Field names are lower-cased (header names are
 * case-insensitive); a value is the text between commas, trimmed, so a {@code _bin} value cannot
 * contain a comma here (as in riak's HTTP API).
 */
public final class IndexHeaders {
  public static final String PREFIX = "X-Riak-Index-";

  private IndexHeaders() {}

  /** The request's index entries; an invalid field name or {@code _int} value is a 400. */
  public static List<IndexEntry> read(Context ctx) {
    List<IndexEntry> entries = new ArrayList<>();
    Enumeration<String> names = ctx.req().getHeaderNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      if (name.length() <= PREFIX.length()
          || !name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        continue;
      }
      Enumeration<String> values = ctx.req().getHeaders(name);
      while (values.hasMoreElements()) {
        entries.addAll(parse(name, values.nextElement()));
      }
    }
    return entries;
  }

  /**
   * The entries one {@code X-Riak-Index-<field>} header gives; {@code name} is the header's name
   * (prefix included, any case). An invalid field name or {@code _int} value is a 400.
   */
  public static List<IndexEntry> parse(String name, String value) {
    String field = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    List<IndexEntry> entries = new ArrayList<>();
    for (String v : value.split(",")) {
      try {
        entries.add(IndexEntry.of(field, v.trim()));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("invalid " + PREFIX + field + " header: " + e.getMessage());
      }
    }
    return entries;
  }

  /** The headers that give {@code c}'s index entries: header name to comma-separated values. */
  public static Map<String, String> of(Content c) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (IndexEntry e : c.indexes()) {
      headers.merge(PREFIX + e.field(), e.valueText(), (a, b) -> a + ", " + b);
    }
    return headers;
  }
}
