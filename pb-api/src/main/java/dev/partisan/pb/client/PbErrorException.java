package dev.partisan.pb.client;

/**
 * The server answered a request with an RpbErrorResp: {@link #getMessage()} is its errmsg (Riak's
 * words, e.g. {@code {r_val_unsatisfied,2,1}}, {@code overload}, {@code timeout}).
 */
public final class PbErrorException extends RuntimeException {
  private final int errcode;

  public PbErrorException(String errmsg, int errcode) {
    super(errmsg, null, false, false);
    this.errcode = errcode;
  }

  /** Riak's errcode (this project's server always sends 0). */
  public int errcode() {
    return errcode;
  }
}
