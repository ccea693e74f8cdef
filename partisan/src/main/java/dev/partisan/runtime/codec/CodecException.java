package dev.partisan.runtime.codec;

/** Raised when bytes from the wire cannot be decoded, or a value cannot be encoded. */
public class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
