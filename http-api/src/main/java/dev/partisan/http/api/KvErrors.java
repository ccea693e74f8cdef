package dev.partisan.http.api;

import dev.partisan.kv.BucketTypeException;
import dev.partisan.kv.KvException;
import dev.partisan.kv.QuorumReport;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps store failures to HTTP: unmet quorums, timeouts, overload and unavailability to 503 with the
 * reason in riak's words ({@code r_val_unsatisfied} ...), bad requests to 400, too large to 413, an
 * unknown or inactive bucket type to 404 (riak's "Unknown bucket type"), refused bucket type
 * changes to 400/404/409, anything else to 500.
 */
public final class KvErrors {
  private KvErrors() {}

  public static HttpError toHttp(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof HttpError h) {
      return h;
    }
    if (cause instanceof BucketTypeException b) {
      return switch (b.reason()) {
        case INVALID -> HttpError.badRequest(b.getMessage());
        case NOT_FOUND -> HttpError.notFound(b.getMessage());
        case ALREADY_ACTIVE, NOT_ACTIVE, NOT_READY -> new HttpError(409, b.getMessage());
      };
    }
    if (!(cause instanceof KvException k)) {
      return new HttpError(500, "internal error: " + cause);
    }
    // The exception's message starts with the error's name; the status already says as much.
    String detail = k.getMessage();
    String prefix = k.error().name() + ": ";
    if (detail.startsWith(prefix)) {
      detail = detail.substring(prefix.length());
    }
    QuorumReport r = k.report();
    return switch (k.error()) {
      case BAD_REQUEST -> HttpError.badRequest(detail);
      case TOO_LARGE -> new HttpError(413, detail);
      case R_UNMET -> unmet("r_val_unsatisfied", r == null ? -1 : r.required(), acks(r), detail);
      case W_UNMET -> unmet("w_val_unsatisfied", r == null ? -1 : r.required(), acks(r), detail);
      case PR_UNMET ->
          unmet("pr_val_unsatisfied", r == null ? -1 : r.requiredPrimary(), primary(r), detail);
      case PW_UNMET ->
          unmet("pw_val_unsatisfied", r == null ? -1 : r.requiredPrimary(), primary(r), detail);
      case DW_UNMET ->
          unmet("dw_val_unsatisfied", r == null ? -1 : r.requiredDurable(), durable(r), detail);
      case TIMEOUT -> new HttpError(503, "timeout: " + detail);
      case OVERLOADED -> new HttpError(503, "overload: " + detail);
      case UNAVAILABLE -> new HttpError(503, "unavailable: " + detail);
      case BUCKET_TYPE_UNKNOWN -> HttpError.notFound(detail);
      case INTERNAL -> new HttpError(500, "internal error: " + detail);
    };
  }

  private static HttpError unmet(String what, int needed, int got, String detail) {
    String counts = needed < 0 ? "" : " (needed " + needed + ", got " + got + ")";
    return new HttpError(503, what + counts + ": " + detail);
  }

  private static int acks(QuorumReport r) {
    return r == null ? 0 : r.acks();
  }

  private static int primary(QuorumReport r) {
    return r == null ? 0 : r.primaryAcks();
  }

  private static int durable(QuorumReport r) {
    return r == null ? 0 : r.durableAcks();
  }

  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The error kind of a failure, for metrics ({@code ok} when it is not a store failure). */
  public static String kind(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof KvException k) {
      return k.error().name().toLowerCase(java.util.Locale.ROOT);
    }
    return c instanceof HttpError h ? "http_" + h.status() : "internal";
  }
}
