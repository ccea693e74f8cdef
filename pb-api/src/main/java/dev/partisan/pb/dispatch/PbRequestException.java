package dev.partisan.pb.dispatch;

/**
 * A request the server refuses with a message meant for the client: it becomes the errmsg of the
 * RpbErrorResp as it is (Riak's own texts, such as {@code match_found}, travel this way). Not final
 * only for {@link Denied}.
 */
public class PbRequestException extends RuntimeException {
  public PbRequestException(String message) {
    super(message, null, false, false);
  }

  /**
   * Security refused the request before its handler ran ({@code Permission denied: ...}): answered
   * like any refusal, but not timed as a request ({@link RequestTimer}).
   */
  static final class Denied extends PbRequestException {
    Denied(String message) {
      super(message);
    }
  }
}
