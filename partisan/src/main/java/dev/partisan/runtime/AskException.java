package dev.partisan.runtime;

/** An ask that could not be sent, or that the target refused (overload). */
public final class AskException extends RuntimeException {
  private final SendResult result;

  public AskException(String message, SendResult result) {
    super(message);
    this.result = result;
  }

  /** Why the request was not sent, or null when the target refused it. */
  public SendResult result() {
    return result;
  }
}
