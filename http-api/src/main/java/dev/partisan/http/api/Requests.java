package dev.partisan.http.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small helpers every route uses: the raw path, a bounded body read, a bounded wait. */
public final class Requests {
  /** Extra wait beyond a request's own timeout before the HTTP layer gives up on the store. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private Requests() {}

  /** The path as sent, still percent-encoded (the servlet API's request URI is not decoded). */
  public static String rawPath(Context ctx) {
    return ctx.req().getRequestURI();
  }

  public static QueryParams query(Context ctx) {
    return QueryParams.parse(ctx.req().getQueryString());
  }

  /**
   * Reads the body, refusing more than {@code max} bytes with 413 before reading it when the
   * Content-Length says so, and while reading otherwise (chunked bodies), so a client cannot make
   * the node buffer more than the limit.
   */
  public static byte[] body(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > max) {
          throw tooLarge(max);
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw HttpError.badRequest("could not read the request body: " + e.getMessage());
    }
    if (declared >= 0 && out.size() != declared) {
      throw HttpError.badRequest(
          "the body has " + out.size() + " bytes but Content-Length says " + declared);
    }
    return out.toByteArray();
  }

  private static HttpError tooLarge(long max) {
    return new HttpError(413, "the value is larger than the limit of " + max + " bytes");
  }

  /**
   * Waits for a store call. The store enforces the request's timeout itself; the grace period only
   * stops a lost reply from holding the HTTP request for ever.
   */
  public static <T> T await(CompletableFuture<T> f, Duration timeout) {
    try {
      return f.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw KvErrors.toHttp(e);
    } catch (TimeoutException e) {
      f.cancel(false);
      throw new HttpError(503, "timeout: no answer from the store within " + timeout.plus(GRACE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted while waiting for the store");
    }
  }

  public static boolean accepts(Context ctx, String mediaType) {
    String accept = ctx.header("Accept");
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(mediaType);
  }

  public static void text(Context ctx, int status, String body) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(body);
  }
}
