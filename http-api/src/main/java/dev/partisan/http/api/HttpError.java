package dev.partisan.http.api;

/**
 * A request the node refuses, with the status and the plain-text reason the client sees. Thrown
 * from anywhere in a handler; the server renders it, so handlers never half-write an error.
 */
public final class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  public int status() {
    return status;
  }
}
