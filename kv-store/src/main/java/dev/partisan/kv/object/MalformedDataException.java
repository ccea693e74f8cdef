package dev.partisan.kv.object;

/** Bytes that do not decode to a valid object or context; the message says what is wrong. */
public final class MalformedDataException extends IllegalArgumentException {
  public MalformedDataException(String message) {
    super(message);
  }

  public MalformedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
