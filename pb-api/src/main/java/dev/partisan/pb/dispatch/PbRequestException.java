package dev.partisan.pb.dispatch;

/**
 * A request the server refuses with a message meant for the client: it becomes the errmsg of the
 * RpbErrorResp as it is (Riak's own texts, such as {@code match_found}, travel this way).
 */
public final class PbRequestException extends RuntimeException {
  public PbRequestException(String message) {
    super(message, null, false, false);
  }
}
