package dev.partisan.kv;

/** A bucket type operation the cluster refuses, with why (for HTTP statuses) and a message. */
public final class BucketTypeException extends RuntimeException {
  /** Why a bucket type operation was refused. */
  public enum Reason {
    /** A bad name or properties, or a change of a property fixed at creation. */
    INVALID,
    /** No such type. */
    NOT_FOUND,
    /** The type is active: it can be updated, not created again. */
    ALREADY_ACTIVE,
    /** The type is not active yet: it can be created again or activated, not updated. */
    NOT_ACTIVE,
    /** Not every ring member knows the type yet, so it cannot be activated. */
    NOT_READY
  }

  private final Reason reason;

  public BucketTypeException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
