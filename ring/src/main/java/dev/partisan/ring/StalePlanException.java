package dev.partisan.ring;

/**
 * A plan was committed against a ring that changed structurally since the plan was made; the caller
 * must plan again so the operator approves what will actually happen.
 */
public final class StalePlanException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StalePlanException(String message) {
    super(message);
  }
}
