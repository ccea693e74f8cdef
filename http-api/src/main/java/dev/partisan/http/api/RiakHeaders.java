package dev.partisan.http.api;

import dev.partisan.kv.CausalContext;
import dev.partisan.kv.Content;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Riak's object headers: the causal context, user metadata, ETag and Last-Modified. */
public final class RiakHeaders {
  public static final String VCLOCK = "X-Riak-Vclock";
  public static final String META_PREFIX = "X-Riak-Meta-";
  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private RiakHeaders() {}

  /** The request's causal context; a malformed X-Riak-Vclock is a 400. */
  public static CausalContext context(Context ctx) {
    return context(ctx.header(VCLOCK));
  }

  /** An X-Riak-Vclock header's value (null when absent) as a causal context; malformed is a 400. */
  public static CausalContext context(String v) {
    if (v == null || v.isBlank()) {
      return CausalContext.EMPTY;
    }
    try {
      return CausalContext.fromBase64(v);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw HttpError.badRequest("malformed " + VCLOCK + " header: " + e.getMessage());
    }
  }

  /** X-Riak-Meta-* request headers, keyed by what follows the prefix (lower case). */
  public static Map<String, String> userMeta(Context ctx) {
    Map<String, String> meta = new TreeMap<>();
    Enumeration<String> names = ctx.req().getHeaderNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      if (name.length() > META_PREFIX.length()
          && name.regionMatches(true, 0, META_PREFIX, 0, META_PREFIX.length())) {
        // Header names are case-insensitive, so the stored name is normalised.
        meta.put(name.substring(META_PREFIX.length()).toLowerCase(Locale.ROOT), ctx.header(name));
      }
    }
    return meta;
  }

  public static String contentType(Context ctx) {
    String t = ctx.header("Content-Type");
    return t == null || t.isBlank() ? DEFAULT_CONTENT_TYPE : t.trim();
  }

  public static void writeContext(Context ctx, CausalContext context) {
    if (context != null && !context.isEmpty()) {
      ctx.header(VCLOCK, context.toBase64());
    }
  }

  /**
   * Content-Type, ETag (the vtag), Last-Modified, X-Riak-Meta-* and X-Riak-Index-* of a sibling.
   */
  public static void writeContent(Context ctx, Content c) {
    ctx.contentType(c.contentType());
    ctx.header("ETag", "\"" + Vtags.of(c) + "\"");
    if (c.lastModified() > 0) {
      ctx.header("Last-Modified", httpDate(c.lastModified()));
    }
    for (Map.Entry<String, String> e : c.userMeta().entrySet()) {
      ctx.header(META_PREFIX + e.getKey(), e.getValue());
    }
    IndexHeaders.of(c).forEach(ctx::header);
  }

  public static String httpDate(long epochMillis) {
    return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** An HTTP date in epoch milliseconds, or -1 when unparseable (such headers are ignored). */
  public static long parseHttpDate(String v) {
    try {
      return Instant.from(HTTP_DATE.parse(v.trim())).toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** True when an If-Match / If-None-Match header lists this vtag or is {@code *}. */
  public static boolean etagMatches(String header, String vtag) {
    for (String t : header.split(",")) {
      String s = t.trim();
      if (s.startsWith("W/")) {
        s = s.substring(2);
      }
      if (s.equals("*") || s.equals("\"" + vtag + "\"") || s.equals(vtag)) {
        return true;
      }
    }
    return false;
  }
}
