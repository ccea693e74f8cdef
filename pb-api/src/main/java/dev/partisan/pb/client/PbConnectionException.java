package dev.partisan.pb.client;

/**
 * A request could not be answered because of its connection: it could not be opened, it closed, a
 * request on it timed out (which closes it), or the server sent something that is not the answer
 * expected. Whether the request took effect is unknown.
 */
public final class PbConnectionException extends RuntimeException {
  public PbConnectionException(String message) {
    super(message);
  }

  public PbConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
