package dev.partisan.pb.dispatch;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BucketTypeException;
import dev.partisan.kv.KvException;
import dev.partisan.kv.QuorumReport;
import dev.partisan.pb.proto.RiakMessages.RpbErrorResp;
import dev.partisan.pb.wire.MessageCode;
import dev.partisan.pb.wire.PbResponse;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.ToIntFunction;

/**
 * Turns a failure into the RpbErrorResp a Riak client expects. Store failures read as Riak's
 * reasons, which clients show and some match on: {@code {r_val_unsatisfied,2,1}} (needed, got),
 * {@code {pw_val_unsatisfied,...}}, {@code timeout}, {@code overload}; a refused request keeps its
 * message. errcode is always 0: Riak's clients show errmsg and branch on nothing else.
 */
public final class PbErrors {
  private PbErrors() {}

  public static PbResponse response(String message) {
    return PbResponse.of(
        MessageCode.RPB_ERROR_RESP,
        RpbErrorResp.newBuilder()
            .setErrmsg(ByteString.copyFromUtf8(message))
            .setErrcode(0)
            .build());
  }

  public static PbResponse response(Throwable failure) {
    return response(message(failure));
  }

  /** The errmsg for a failure. */
  public static String message(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof PbRequestException p) {
      return p.getMessage();
    }
    if (t instanceof BucketTypeException b) {
      return b.getMessage();
    }
    if (t instanceof IllegalArgumentException) {
      return "bad request: " + t.getMessage();
    }
    if (!(t instanceof KvException k)) {
      return "internal error: " + t;
    }
    QuorumReport r = k.report();
    String detail = detail(k);
    return switch (k.error()) {
      case BAD_REQUEST -> "bad request: " + detail;
      case TOO_LARGE -> "too_large: " + detail;
      case R_UNMET -> unmet("r_val_unsatisfied", r, QuorumReport::required, QuorumReport::acks);
      case W_UNMET -> unmet("w_val_unsatisfied", r, QuorumReport::required, QuorumReport::acks);
      case PR_UNMET ->
          unmet("pr_val_unsatisfied", r, QuorumReport::requiredPrimary, QuorumReport::primaryAcks);
      case PW_UNMET ->
          unmet("pw_val_unsatisfied", r, QuorumReport::requiredPrimary, QuorumReport::primaryAcks);
      case DW_UNMET ->
          unmet("dw_val_unsatisfied", r, QuorumReport::requiredDurable, QuorumReport::durableAcks);
      case TIMEOUT -> "timeout";
      case OVERLOADED -> "overload";
      case UNAVAILABLE -> "unavailable: " + detail;
      case BUCKET_TYPE_UNKNOWN -> "no_type: " + detail;
      case INTERNAL -> "internal error: " + detail;
    };
  }

  /**
   * The error kind of a failure, for request metrics ({@link RequestTimer}): the store's error in
   * lower case as the HTTP API counts it ({@code r_unmet}, {@code timeout} ...), {@code
   * bad_request} for a request refused with a message for the client, {@code internal} for anything
   * else.
   */
  public static String kind(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof KvException k) {
      return k.error().name().toLowerCase(Locale.ROOT);
    }
    if (t instanceof PbRequestException
        || t instanceof BucketTypeException
        || t instanceof IllegalArgumentException) {
      return "bad_request";
    }
    return "internal";
  }

  /** Riak's tuple: {@code {r_val_unsatisfied,Needed,Got}}; without a report, the bare reason. */
  private static String unmet(
      String reason,
      QuorumReport r,
      ToIntFunction<QuorumReport> needed,
      ToIntFunction<QuorumReport> got) {
    return r == null
        ? reason
        : "{" + reason + "," + needed.applyAsInt(r) + "," + got.applyAsInt(r) + "}";
  }

  private static String detail(KvException k) {
    String detail = k.getMessage();
    String prefix = k.error().name() + ": ";
    return detail.startsWith(prefix) ? detail.substring(prefix.length()) : detail;
  }

  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
