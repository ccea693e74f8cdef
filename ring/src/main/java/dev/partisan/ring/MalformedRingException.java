package dev.partisan.ring;

/** Thrown by {@link RingState#fromBytes} when the bytes are not a valid encoded ring state. */
public final class MalformedRingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedRingException(String message) {
    super(message);
  }

  public MalformedRingException(String message, Throwable cause) {
    super(message, cause);
  }
}
