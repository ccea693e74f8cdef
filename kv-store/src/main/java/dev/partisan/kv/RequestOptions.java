package dev.partisan.kv;

import java.time.Duration;

/**
 * Per-request settings; a null field means "the bucket's setting" (timeout: the node's default).
 * Riak's names: {@code r, w, pr, pw, dw, n_val, timeout, returnbody}.
 */
public record RequestOptions(
    Quorum r,
    Quorum w,
    Quorum pr,
    Quorum pw,
    Quorum dw,
    Integer nVal,
    Duration timeout,
    boolean returnBody) {

  public static final RequestOptions DEFAULTS =
      new RequestOptions(null, null, null, null, null, null, null, false);

  public static RequestOptions defaults() {
    return DEFAULTS;
  }

  public RequestOptions r(Quorum q) {
    return new RequestOptions(q, w, pr, pw, dw, nVal, timeout, returnBody);
  }

  public RequestOptions r(int q) {
    return r(Quorum.of(q));
  }

  public RequestOptions w(Quorum q) {
    return new RequestOptions(r, q, pr, pw, dw, nVal, timeout, returnBody);
  }

  public RequestOptions w(int q) {
    return w(Quorum.of(q));
  }

  public RequestOptions pr(Quorum q) {
    return new RequestOptions(r, w, q, pw, dw, nVal, timeout, returnBody);
  }

  public RequestOptions pr(int q) {
    return pr(Quorum.of(q));
  }

  public RequestOptions pw(Quorum q) {
    return new RequestOptions(r, w, pr, q, dw, nVal, timeout, returnBody);
  }

  public RequestOptions pw(int q) {
    return pw(Quorum.of(q));
  }

  public RequestOptions dw(Quorum q) {
    return new RequestOptions(r, w, pr, pw, q, nVal, timeout, returnBody);
  }

  public RequestOptions dw(int q) {
    return dw(Quorum.of(q));
  }

  public RequestOptions nVal(int n) {
    return new RequestOptions(r, w, pr, pw, dw, n, timeout, returnBody);
  }

  public RequestOptions timeout(Duration t) {
    return new RequestOptions(r, w, pr, pw, dw, nVal, t, returnBody);
  }

  public RequestOptions returnBody(boolean b) {
    return new RequestOptions(r, w, pr, pw, dw, nVal, timeout, b);
  }
}
