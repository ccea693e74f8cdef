package dev.partisan.kv;

/** The claimant refused cluster changes, or could not be reached. */
public final class ClusterChangeException extends RuntimeException {
  /**
   * Why. Travels between nodes in {@code ClusterChangeReply} as its ordinal: add new reasons at the
   * end, never reorder or remove one.
   */
  public enum Reason {
    /** A change does not apply (e.g. leaving a node that is not a member); the message says why. */
    INVALID,
    /** The ring changed since the reviewed plan was made: plan again. */
    STALE,
    /** The claimant is down or did not answer. */
    UNAVAILABLE
  }

  private final Reason reason;

  public ClusterChangeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
