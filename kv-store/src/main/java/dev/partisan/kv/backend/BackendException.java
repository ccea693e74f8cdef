package dev.partisan.kv.backend;

/** A storage operation failed (I/O error, corruption, or the backend is closed). */
public final class BackendException extends RuntimeException {
  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
